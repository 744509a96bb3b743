package dev.sextant.storage.internal.logs;

import dev.sextant.storage.LogRecord;
import java.io.IOException;
import java.util.OptionalLong;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.IndexWriter;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the Lucene index back in step with RocksDB on open. */
final class LogRecovery {
  private static final Logger log = LoggerFactory.getLogger(LogRecovery.class);

  private LogRecovery() {}

  /**
   * Re-indexes the records the last commit missed: those above its watermark (from the pending
   * entries), or all of them when there is no commit. Returns the highest sequence number in use.
   */
  static long reindex(LogDb db, IndexWriter writer, OptionalLong committed)
      throws IOException, RocksDBException {
    return committed.isPresent()
        ? reindexPending(db, writer, committed.getAsLong()) : reindexAll(db, writer);
  }

  private static long reindexPending(LogDb db, IndexWriter writer, long watermark)
      throws IOException, RocksDBException {
    // Documents above the watermark may be in the commit or not: drop them, then add them all.
    writer.deleteDocuments(LongPoint.newRangeQuery(LogDocuments.SEQ, watermark + 1, Long.MAX_VALUE));
    long last = watermark;
    int n = 0;
    try (RocksIterator it = db.pending()) {
      for (it.seek(LogKeys.longKey(watermark + 1)); it.isValid(); it.next()) {
        long seq = LogKeys.getLong(it.key(), 0);
        long time = LogKeys.getLong(it.value(), 0);
        byte[] value = db.get(LogKeys.recordKey(time, seq));
        if (value != null) {
          writer.addDocument(LogDocuments.toDocument(LogCodec.decode(value), seq));
          n++;
        }
        last = Math.max(last, seq);
      }
      it.status();
    }
    if (n > 0) {
      log.info("log index: re-indexed {} records written after its last commit", n);
    }
    return last;
  }

  private static long reindexAll(LogDb db, IndexWriter writer)
      throws IOException, RocksDBException {
    writer.deleteAll();
    long last = 0;
    int n = 0;
    try (RocksIterator it = db.records()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        long seq = LogKeys.seq(it.key());
        LogRecord r = LogCodec.decode(it.value());
        writer.addDocument(LogDocuments.toDocument(r, seq));
        last = Math.max(last, seq);
        n++;
      }
      it.status();
    }
    if (n > 0) {
      log.info("log index: none found, re-indexed all {} records", n);
    }
    return last;
  }
}
