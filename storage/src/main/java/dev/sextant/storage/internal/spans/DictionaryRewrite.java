package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Span;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Rewrites the plain (version 1) span values of a block in the dictionary encoding, before
 * sealing compacts it. The block's {@link SpanDictionary} is built from its spans on the first
 * rewrite and stored in the default column family under {@code dict/<block>}, in the write-ahead
 * log ahead of any value that refers to it; afterwards it never changes, so a later rewrite (after
 * a late write) or one resumed after a crash uses it as it is. Until a value is rewritten it stays
 * readable in its plain encoding.
 */
final class DictionaryRewrite {
  private static final String DICT = "dict/";
  private static final int BATCH = 1000;

  private DictionaryRewrite() {}

  static byte[] key(Block b) {
    return (DICT + b.name()).getBytes(StandardCharsets.UTF_8);
  }

  /** The stored dictionary of {@code b}, or null when its block was never rewritten. */
  static SpanDictionary load(RocksDB db, Block b) throws RocksDBException {
    byte[] v = db.get(key(b));
    return v == null ? null : SpanDictionary.fromBytes(v);
  }

  /**
   * Rewrites every plain value of {@code b}, checking {@code undisturbed} before each batch: a
   * write into the block since the rewrite began could otherwise be overwritten with the older
   * value read here. The caller makes a write into the block turn it false.
   *
   * @return the values rewritten, or -1 when {@code undisturbed} stopped the rewrite (the rest
   *     stays plain, for the next attempt)
   */
  static long rewrite(RocksDB db, SpanBlock b, BooleanSupplier undisturbed)
      throws RocksDBException {
    SpanDictionary dict = b.dictionary;
    if (dict == null) {
      dict = build(db, b);
      // Synced: a value referring to it may reach an SST (flushed, synced) before the WAL would.
      try (WriteOptions sync = new WriteOptions().setSync(true)) {
        db.put(db.getDefaultColumnFamily(), sync, key(b.block), dict.toBytes());
      }
      b.dictionary = dict;
    }
    SpanDictionary refs = dict;
    long n = 0;
    ByteWriter w = new ByteWriter(512);
    try (RocksIterator it = db.newIterator(b.cf); WriteBatch batch = new WriteBatch();
         WriteOptions wo = new WriteOptions()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] value = it.value();
        if (!SpanCodec.isPlain(value)) {
          continue;
        }
        byte[] k = it.key();
        w.reset();
        DictionarySpanCodec.encode(decode(k, value), w, refs::ref);
        batch.put(b.cf, k, w.toByteArray());
        if (batch.count() >= BATCH) {
          if (!undisturbed.getAsBoolean()) {
            return -1;
          }
          db.write(wo, batch);
          n += batch.count();
          batch.clear();
        }
      }
      if (batch.count() > 0) {
        if (!undisturbed.getAsBoolean()) {
          return -1;
        }
        db.write(wo, batch);
        n += batch.count();
      }
    }
    return n;
  }

  private static SpanDictionary build(RocksDB db, SpanBlock b) {
    SpanDictionary.Builder builder = new SpanDictionary.Builder();
    DictionarySpanCodec.Refs counter = (context, s) -> {
      builder.count(context, s);
      return 0;
    };
    ByteWriter scratch = new ByteWriter(512);
    try (RocksIterator it = db.newIterator(b.cf)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] value = it.value();
        if (SpanCodec.isPlain(value)) {
          scratch.reset();
          DictionarySpanCodec.encode(decode(it.key(), value), scratch, counter);
        }
      }
    }
    return builder.build();
  }

  private static Span decode(byte[] key, byte[] value) {
    return SpanCodec.decode(Arrays.copyOfRange(key, 0, RocksSpanStore.TRACE_ID_BYTES),
        Arrays.copyOfRange(key, RocksSpanStore.TRACE_ID_BYTES, key.length), value);
  }
}
