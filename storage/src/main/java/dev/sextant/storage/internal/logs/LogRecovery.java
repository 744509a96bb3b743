package dev.sextant.storage.internal.logs;

import dev.sextant.storage.UnindexedRecords;
import dev.sextant.storage.internal.kv.Block;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.AlreadyClosedException;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings every block index back in step with RocksDB on open. */
final class LogRecovery {
  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

  private LogRecovery() {}

  /**
   * Re-indexes what the blocks' last commits missed: a block without a commit from all its
   * records, the others from the pending entries above their committed watermark. Returns the
   * highest sequence number in use.
   */
  static long reindex(LogDb db, Collection<LogBlock> blocks, UnindexedRecords unindexed)
      throws IOException, RocksDBException {
    long last = 0;
    long from = Long.MAX_VALUE;
    Map<Block, LogBlock> replay = new HashMap<>();
    for (LogBlock b : blocks) {
      if (b.committed < 0) {
        last = Math.max(last, reindexAll(db, b, unindexed));
      } else {
        // Documents above the watermark may be in the commit or not: drop them, add them all.
        b.index.writer().deleteDocuments(
            LongPoint.newRangeQuery(LogDocuments.SEQ, b.committed + 1, Long.MAX_VALUE));
        replay.put(b.block, b);
        from = Math.min(from, b.committed);
        last = Math.max(last, b.committed);
      }
    }
    int n = 0;
    try (RocksIterator it = db.pending()) {
      for (it.seek(LogKeys.longKey(from == Long.MAX_VALUE ? 0 : from + 1)); it.isValid();
          it.next()) {
        long seq = LogKeys.getLong(it.key(), 0);
        long time = LogKeys.getLong(it.value(), 0);
        last = Math.max(last, seq);
        LogBlock b = replay.get(db.block(time));
        if (b == null || seq <= b.committed) {
          continue;
        }
        byte[] value = db.get(LogKeys.recordKey(time, seq));
        if (value != null && add(b.index.writer(), value, time, seq, unindexed)) {
          n++;
        }
      }
      it.status();
    }
    if (n > 0) {
      log.info("log index: re-indexed {} records written after the last commits", n);
    }
    return last;
  }

  /**
   * Indexes one stored record; false (counted and logged) when it cannot be decoded or Lucene
   * refuses it: one such record must not keep the store from opening.
   */
  private static boolean add(IndexWriter writer, byte[] value, long time, long seq,
      UnindexedRecords unindexed) throws IOException {
    try {
      writer.addDocument(LogDocuments.toDocument(LogCodec.decode(value), seq));
      return true;
    } catch (AlreadyClosedException e) {
      throw e; // the index itself failed, not this record
    } catch (RuntimeException e) { // IllegalArgumentException from Lucene, or a damaged record
      unindexed.skipped(LogDocuments.id(time, seq), e);
      return false;
    }
  }

  private static long reindexAll(LogDb db, LogBlock b, UnindexedRecords unindexed)
      throws IOException, RocksDBException {
    IndexWriter writer = b.index.writer();
    writer.deleteAll();
    long last = 0;
    int n = 0;
    RocksIterator it = db.records(b.block);
    if (it == null) {
      return 0;
    }
    try (it) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        long seq = LogKeys.seq(it.key());
        if (add(writer, it.value(), LogKeys.time(it.key()), seq, unindexed)) {
          n++;
        }
        last = Math.max(last, seq);
      }
      it.status();
    }
    if (n > 0) {
      log.info("log block {}: index had no commit, re-indexed all {} records", b.block.name(), n);
    }
    return last;
  }
}
