package dev.sextant.storage.internal.metrics;

import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Rebuilds the registry, postings and head chunks from RocksDB at open. */
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
    long orphans = 0;
    try (RocksIterator it = db.db.newIterator(db.raw)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        MemSeries s = registry.get(Keys.id(key));
        long t = Keys.time(key);
        if (s == null) {
          orphans++;
        } else if (t > s.maxTime) { // else already in a stored chunk
          MemSeries.Cut cut = s.append(t, Keys.getLong(it.value(), 0), chunkSamples, chunkSpan,
              db.blockMillis);
          if (cut != null) {
            writer.addCut(cut);
          }
        }
      }
    }
    if (orphans > 0) {
      log.warn("metric store: ignored {} raw samples of unknown series", orphans);
    }
    registry.forEach(s -> {
      s.acceptedMaxTime = s.maxTime;
      writer.recovered(s.maxTime);
    });
    writer.writeCuts();
    log.info("metric store: opened with {} series", registry.size());
  }
}
