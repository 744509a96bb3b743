package dev.sextant.alert.internal.store;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

/**
 * The alert engine's own RocksDB: alert state, silences, notification log, outbox and audit trail,
 * one column family each. Every write is synced (WAL fsync): a page acknowledged to the outbox, or
 * a firing alert, survives a crash. Thread-safe. After {@link #close()} every method throws
 * {@link IllegalStateException}: RocksDB used after close crashes the JVM (a rule evaluation still
 * running when its engine closed did exactly that), so close waits for calls in flight.
 */
public final class AlertDb implements AutoCloseable {
  /** The column families (tables). */
  public enum Table { ALERT_STATE, SILENCES, NFLOG, OUTBOX, AUDIT, META }

  /**
   * Told of every write after it is durable locally, on the writer's thread: {@code value} is
   * null for a delete. An exception it throws reaches the writer (the local write stays); the
   * cluster's replication uses that to stop a leader that Kafka fenced.
   */
  @FunctionalInterface
  public interface Listener {
    void changed(Table table, byte[] key, byte @Nullable [] value);
  }

  static {
    RocksDB.loadLibrary();
  }

  private final RocksDB db;
  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions sync = new WriteOptions().setSync(true);
  private final ReentrantReadWriteLock lock =
      new ReentrantReadWriteLock();
  private final @Nullable Listener listener;
  private boolean closed;

  private AlertDb(RocksDB db, DBOptions options, ColumnFamilyOptions cfOptions,
      List<ColumnFamilyHandle> handles, @Nullable Listener listener) {
    this.listener = listener;
    this.db = db;
    this.options = options;
    this.cfOptions = cfOptions;
    this.handles = handles;
  }

  /** Opens (creating if needed) the database in {@code dir}. */
  public static AlertDb open(Path dir) {
    return open(dir, null);
  }

  /** Opens (creating if needed) the database in {@code dir}, telling {@code listener} of writes. */
  public static AlertDb open(Path dir, @Nullable Listener listener) {
    requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      DBOptions opts = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      ColumnFamilyOptions cf = new ColumnFamilyOptions();
      List<ColumnFamilyDescriptor> ds = new ArrayList<>();
      ds.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf));
      for (Table t : Table.values()) {
        ds.add(new ColumnFamilyDescriptor(t.name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8), cf));
      }
      List<ColumnFamilyHandle> hs = new ArrayList<>();
      RocksDB db = RocksDB.open(opts, dir.toString(), ds, hs);
      return new AlertDb(db, opts, cf, hs, listener);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open alert database in " + dir + ": " + e, e);
    }
  }

  private ColumnFamilyHandle cf(Table t) {
    return handles.get(t.ordinal() + 1);
  }

  /** Takes the read lock for one call; the caller unlocks in {@code finally}. */
  private void enter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new IllegalStateException("alert db closed");
    }
  }

  private void exit() {
    lock.readLock().unlock();
  }

  public void put(Table t, byte[] key, byte[] value) {
    enter();
    try {
      db.put(cf(t), sync, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("alert db put failed: " + e.getMessage(), e);
    } finally {
      exit();
    }
    if (listener != null) {
      listener.changed(t, key, value);
    }
  }

  public byte[] get(Table t, byte[] key) {
    enter();
    try {
      return db.get(cf(t), key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("alert db get failed: " + e.getMessage(), e);
    } finally {
      exit();
    }
  }

  public void delete(Table t, byte[] key) {
    enter();
    try {
      db.delete(cf(t), sync, key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("alert db delete failed: " + e.getMessage(), e);
    } finally {
      exit();
    }
    if (listener != null) {
      listener.changed(t, key, null);
    }
  }

  /** Entries in key order; {@code visitor} returns false to stop. */
  public void scan(Table t, BiPredicate<byte[], byte[]> visitor) {
    enter();
    try (RocksIterator it = db.newIterator(cf(t))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (!visitor.test(it.key(), it.value())) {
          return;
        }
      }
    } finally {
      exit();
    }
  }

  /** Entries in reverse key order (newest first for time-ordered keys). */
  public void scanReverse(Table t, BiPredicate<byte[], byte[]> visitor) {
    enter();
    try (RocksIterator it = db.newIterator(cf(t))) {
      for (it.seekToLast(); it.isValid(); it.prev()) {
        if (!visitor.test(it.key(), it.value())) {
          return;
        }
      }
    } finally {
      exit();
    }
  }

  public Map<String, byte[]> all(Table t) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    scan(t, (k, v) -> {
      out.put(new String(k, StandardCharsets.UTF_8), v);
      return true;
    });
    return out;
  }

  /** Waits for calls in flight, then closes; idempotent. Later calls throw. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lock.writeLock().unlock();
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    sync.close();
    options.close();
    cfOptions.close();
  }
}
