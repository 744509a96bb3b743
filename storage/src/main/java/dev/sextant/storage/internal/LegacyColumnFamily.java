package dev.sextant.storage.internal;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** Moves the entries of a store's single pre-block column family into its blocks, once. */
public final class LegacyColumnFamily {
  /** The block column family of an entry key (created when missing). */
  @FunctionalInterface
  public interface BlockOfKey {
    ColumnFamilyHandle cf(byte[] key) throws RocksDBException;
  }

  private LegacyColumnFamily() {}

  /**
   * Copies every entry of {@code legacy} into the column family {@code blockOf} picks, in batches
   * of 10,000, then drops and closes {@code legacy}.
   *
   * @return the number of entries moved
   */
  public static long moveIntoBlocks(RocksDB db, ColumnFamilyHandle legacy, BlockOfKey blockOf)
      throws RocksDBException {
    long n = 0;
    try (RocksIterator it = db.newIterator(legacy); WriteOptions wo = new WriteOptions();
         WriteBatch wb = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        wb.put(blockOf.cf(it.key()), it.key(), it.value());
        if (++n % 10_000 == 0) {
          db.write(wo, wb);
          wb.clear();
        }
      }
      db.write(wo, wb);
    }
    db.dropColumnFamily(legacy);
    legacy.close();
    return n;
  }
}
