package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Drops whole chunks whose samples are all older than a cut-off, heads of series that stopped
 * before it, and then series left with no sample at all. Runs on the writer thread.
 */
final class Retention {
  private static final int FLUSH_EVERY = 10_000;

  private Retention() {}

  static void deleteBefore(MetricDb db, SeriesRegistry registry, long minTime) {
    List<MemSeries> all = new ArrayList<>();
    registry.forEach(all::add);
    List<MemSeries> gone = new ArrayList<>();
    try (RocksIterator it = db.db.newIterator(db.chunks);
         WriteOptions wo = new WriteOptions()) {
      WriteBatch wb = new WriteBatch();
      try {
        for (MemSeries s : all) {
          if (s.minTime >= minTime) {
            continue;
          }
          long firstKept = Long.MAX_VALUE;
          for (it.seek(Keys.sample(s.id, Long.MIN_VALUE)); it.isValid(); it.next()) {
            byte[] key = it.key();
            if (Keys.id(key) != s.id) {
              break;
            }
            long cmin = Keys.time(key);
            if (cmin >= minTime || Chunk.maxTimeOf(cmin, it.value()) >= minTime) {
              firstKept = cmin;
              break;
            }
            wb.delete(db.chunks, key);
          }
          long droppedMax = s.dropHeadBefore(minTime);
          if (droppedMax != Long.MIN_VALUE) {
            wb.deleteRange(db.raw, Keys.sample(s.id, Long.MIN_VALUE),
                Keys.sampleAfter(s.id, droppedMax));
          }
          if (firstKept == Long.MAX_VALUE) {
            firstKept = s.headMinTime();
          }
          if (firstKept == Long.MAX_VALUE && !s.hasPending()) {
            wb.delete(db.series, Keys.series(s.id));
            gone.add(s);
          } else if (firstKept > s.minTime) {
            s.minTime = firstKept;
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
