package dev.sextant.storage.internal.metrics;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the registry, postings and head chunks from RocksDB at open: series records, chunk
 * bounds, then the samples logged after the newest chunk of each series ({@link WalRecord}s).
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  static void run(MetricDb db, SeriesRegistry registry, SampleWriter writer, int chunkSamples,
                  long chunkSpan) {
    try (RocksIterator it = db.db.newIterator(db.series)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        MemSeries s = registry.restore(Keys.id(it.key()), LabelsCodec.decode(it.value()));
        s.persisted = true;
      }
    }
    // Bounds from the stored chunks: the newest block holding a series gives its max time, the
    // oldest its min time.
    List<ColumnFamilyHandle> blocks = db.chunks(Long.MIN_VALUE, Long.MAX_VALUE);
    List<RocksIterator> its = new ArrayList<>();
    try {
      for (ColumnFamilyHandle h : blocks) {
        its.add(db.db.newIterator(h));
      }
      registry.forEach(s -> {
        for (int i = its.size() - 1; i >= 0; i--) {
          RocksIterator it = its.get(i);
          it.seekForPrev(Keys.sample(s.id, Long.MAX_VALUE));
          if (it.isValid() && Keys.id(it.key()) == s.id) {
            s.maxTime = Chunk.maxTimeOf(Keys.time(it.key()), it.value());
            break;
          }
        }
        for (RocksIterator it : its) {
          it.seek(Keys.sample(s.id, Long.MIN_VALUE));
          if (it.isValid() && Keys.id(it.key()) == s.id) {
            s.minTime = Keys.time(it.key());
            break;
          }
        }
      });
    } finally {
      for (RocksIterator it : its) {
        it.close();
      }
    }
    long[] orphans = {0};
    replayWal(db, registry, writer, chunkSamples, chunkSpan, orphans);
    if (orphans[0] > 0) {
      log.warn("metric store: ignored {} logged samples of unknown series", orphans[0]);
    }
    registry.forEach(s -> {
      s.acceptedMaxTime = s.maxTime;
      writer.recovered(s.maxTime);
    });
    writer.writeCuts();
    log.info("metric store: opened with {} series", registry.size());
  }

  /** Replays the WAL records in order; a sample already in a stored chunk is skipped. */
  private static void replayWal(MetricDb db, SeriesRegistry registry, SampleWriter writer,
      int chunkSamples, long chunkSpan, long[] orphans) {
    long first = 0;
    long last = 0;
    try (RocksIterator it = db.db.newIterator(db.wal)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        long seq = Keys.getLong(it.key(), 0);
        if (first == 0) {
          first = seq;
        }
        last = seq;
        WalRecord.read(it.value(), (id, t, bits) -> append(registry.get(id), t, bits, seq, db,
            writer, chunkSamples, chunkSpan, orphans));
      }
    }
    writer.recoveredWal(first, last);
  }

  private static void append(MemSeries s, long t, long bits, long seq, MetricDb db,
      SampleWriter writer, int chunkSamples, long chunkSpan, long[] orphans) {
    if (s == null) {
      orphans[0]++;
    } else if (t > s.maxTime) { // else already in a stored chunk
      MemSeries.Cut cut = s.append(t, bits, seq, chunkSamples, chunkSpan, db.blockMillis);
      if (cut != null) {
        writer.addCut(cut);
      }
    }
  }
}
