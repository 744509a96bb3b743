package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Drops whole the chunk blocks that ended before a cut-off, heads of series that stopped before
 * it, and then series left with no sample at all. Runs on the writer thread.
 */
final class Retention {
  private static final int FLUSH_EVERY = 10_000;

  private Retention() {}

  static void deleteBefore(MetricDb db, SeriesRegistry registry, long minTime) {
    try {
      db.dropBlocksBefore(minTime);
    } catch (RocksDBException e) {
      throw new StorageException("metric retention failed: " + e.getMessage(), e);
    }
    // Every stored chunk left starts at or after this: chunks never straddle blocks.
    long dataStart = db.firstBlockStart();
    List<MemSeries> all = new ArrayList<>();
    registry.forEach(all::add);
    List<MemSeries> gone = new ArrayList<>();
    try (WriteOptions wo = new WriteOptions()) {
      WriteBatch wb = new WriteBatch();
      try {
        for (MemSeries s : all) {
          if (s.minTime >= minTime) {
            continue;
          }
          // The WAL records of the dropped samples go with the next WAL truncation.
          s.dropHeadBefore(minTime);
          s.dropRecentBefore(dataStart);
          boolean noStored = s.maxTime < dataStart;
          long headMin = s.headMinTime();
          if (noStored && headMin == Long.MAX_VALUE && !s.hasPending()) {
            wb.delete(db.series, Keys.series(s.id));
            gone.add(s);
          } else {
            long lower = noStored ? headMin : Math.min(dataStart, headMin);
            if (lower != Long.MAX_VALUE && lower > s.minTime) {
              s.minTime = lower;
            }
          }
          if (wb.count() >= FLUSH_EVERY) {
            db.db.write(wo, wb);
            wb.close();
            wb = new WriteBatch();
          }
        }
        db.db.write(wo, wb);
      } finally {
        wb.close();
      }
    } catch (RocksDBException e) {
      throw new StorageException("metric retention failed: " + e.getMessage(), e);
    }
    // Unregister only once the deletes are written; a new write for the same labels gets a new id.
    for (MemSeries s : gone) {
      registry.remove(s);
    }
  }
}
