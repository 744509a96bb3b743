package dev.sextant.storage.internal.spans;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.UnindexedRecords;
import dev.sextant.storage.internal.index.IndexDirs;
import dev.sextant.storage.internal.kv.BatchBuilder;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.BlockFamilies;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The span blocks of the trace database: creation on first write, start-time bounds (kept in the
 * default column family under {@code bounds/<block>}), sealing and dropping. Callers serialise
 * {@link #drop} against reads (the store's lifecycle lock).
 */
final class SpanBlocks implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpanBlocks.class);
  static final String PREFIX = "spans@";
  private static final String BOUNDS = "bounds/";

  private final RocksDB db;
  private final ColumnFamilyOptions options;
  private final Path indexDir;
  private final long blockMillis;
  final InFlightClock clock = new InFlightClock();
  /** Spans of every block left out of the search indexes. */
  final UnindexedRecords unindexed =
      UnindexedRecords.spans();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sextant-span-index");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentSkipListMap<Block, SpanBlock> blocks = new ConcurrentSkipListMap<>();

  SpanBlocks(RocksDB db, ColumnFamilyOptions options, Path indexDir, long blockMillis,
      Map<Block, ColumnFamilyHandle> existing) throws RocksDBException {
    this.db = db;
    this.options = options;
    this.indexDir = indexDir;
    this.blockMillis = blockMillis;
    for (Map.Entry<Block, ColumnFamilyHandle> e : existing.entrySet()) {
      SpanBlock b = new SpanBlock(e.getKey(), e.getValue(), openIndex(e.getKey()));
      b.sealed = b.index.openedSealed();
      b.recoveryPoint = b.index.openedWithCommit() ? b.index.recoveryPointUnixNano() : -1;
      byte[] bounds = db.get(boundsKey(e.getKey()));
      if (bounds != null) {
        ByteBuffer buf = ByteBuffer.wrap(bounds);
        b.widen(buf.getLong(), buf.getLong());
      }
      b.dictionary = DictionaryRewrite.load(db, e.getKey());
      blocks.put(e.getKey(), b);
    }
  }

  long blockMillis() {
    return blockMillis;
  }

  private SpanIndexer openIndex(Block block) {
    return SpanIndexer.openBlock(indexDir.resolve(block.name()), w -> {
      SpanBlock b = blocks.get(block);
      if (b != null) {
        b.recoveryPoint = w - SpanIndexer.RECOVERY_MARGIN_NANOS;
      }
    }, clock, timer, unindexed);
  }

  /** The block that writes at {@code nowMillis} go to, created when missing. */
  SpanBlock current(long nowMillis) {
    Block want = Block.containing(nowMillis, blockMillis);
    SpanBlock b = blocks.get(want);
    return b != null ? b : create(want);
  }

  private synchronized SpanBlock create(Block block) {
    SpanBlock b = blocks.get(block);
    if (b != null) {
      return b;
    }
    try {
      ColumnFamilyHandle cf = db.createColumnFamily(
          BlockFamilies.descriptor(PREFIX, block, options));
      b = new SpanBlock(block, cf, openIndex(block));
    } catch (RocksDBException e) {
      throw new StorageException("cannot create span block " + block.name() + ": " + e, e);
    }
    blocks.put(block, b);
    log.debug("created span block {}", block.name());
    return b;
  }

  /** Every block, newest first. */
  List<SpanBlock> newestFirst() {
    return new ArrayList<>(blocks.descendingMap().values());
  }

  /**
   * The blocks holding spans that started in {@code [from, to)}, newest first, and with them
   * their neighbours in write order (where the rest of those traces was most likely written).
   */
  List<List<SpanBlock>> select(long fromUnixNano, long toUnixNano) {
    List<SpanBlock> all = new ArrayList<>(blocks.values());
    List<SpanBlock> match = new ArrayList<>();
    List<SpanBlock> around = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      SpanBlock b = all.get(i);
      if (b.overlaps(fromUnixNano, toUnixNano)) {
        match.add(b);
        for (int j = Math.max(0, i - 1); j <= Math.min(all.size() - 1, i + 1); j++) {
          if (!around.contains(all.get(j))) {
            around.add(all.get(j));
          }
        }
      }
    }
    match.sort(Comparator.comparing((SpanBlock b) -> b.block).reversed());
    return List.of(match, around);
  }

  /** Adds to {@code batch} the new bounds of {@code b} when {@code [min, max]} widens them. */
  void widen(SpanBlock b, long min, long max, BatchBuilder batch) {
    synchronized (b) {
      if (b.widen(min, max)) {
        byte[] v = ByteBuffer.allocate(16).putLong(b.minStart()).putLong(b.maxStart()).array();
        batch.put(0, boundsKey(b.block), v);
      }
    }
  }

  private static byte[] boundsKey(Block b) {
    return (BOUNDS + b.name()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Seals every block that ended more than {@code graceMillis} before {@code nowMillis} and has
   * no write in flight: rewrites its spans in the dictionary encoding, compacts its column family
   * (bottommost compression, ZSTD) and merges its index into one segment, committed as sealed.
   * A block is marked sealed while this runs, so that a late write into it (which unmarks it)
   * stops the rewrite; such a block is sealed again by a later call.
   *
   * @return the blocks sealed
   */
  int seal(long nowMillis, long graceMillis) {
    int n = 0;
    for (SpanBlock b : blocks.values()) {
      if (!b.sealed && b.block.endMillis() + graceMillis <= nowMillis && b.inFlight.get() == 0) {
        b.sealed = true;
        try {
          long rewritten = DictionaryRewrite.rewrite(db, b,
              () -> b.sealed && b.inFlight.get() == 0);
          compact(b);
          if (rewritten < 0 || !b.sealed) {
            log.info("span block {}: a late write arrived while sealing; sealing again later",
                b.block.name());
            continue;
          }
        } catch (RocksDBException | RuntimeException e) {
          b.sealed = false;
          log.warn("sealing span block {} failed: {}", b.block.name(), e.toString());
          continue;
        }
        b.index.seal();
        n++;
        log.info("sealed span block {}", b.block.name());
      }
    }
    return n;
  }

  /** Merges every block index into one segment now, sealed or not (tools measuring disk use). */
  void mergeIndexes() {
    for (SpanBlock b : blocks.values()) {
      b.index.forceMerge();
    }
  }

  /**
   * Rewrites (dictionary encoding) and compacts every block's column family now, sealed or not
   * (tools measuring disk use, with no write in flight: one stops the rewrite of its block).
   */
  void compactAll() throws RocksDBException {
    for (SpanBlock b : blocks.values()) {
      if (b.inFlight.get() == 0) {
        DictionaryRewrite.rewrite(db, b, () -> b.inFlight.get() == 0);
      }
      compact(b);
    }
  }

  /**
   * Rewrites the block into the bottommost level, forced: a lone flushed file would otherwise be
   * moved down as it is, keeping its LZ4 compression instead of getting the ZSTD dictionary one.
   */
  private void compact(SpanBlock b) throws RocksDBException {
    try (CompactRangeOptions o = new CompactRangeOptions()
        .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
      db.compactRange(b.cf, null, null, o);
    }
  }

  /** Rewrites {@code b} in the dictionary encoding; see {@link DictionaryRewrite#rewrite}. */
  long rewrite(SpanBlock b, BooleanSupplier undisturbed)
      throws RocksDBException {
    return DictionaryRewrite.rewrite(db, b, undisturbed);
  }

  /** Per block (by name), the values still in the plain encoding (tests). */
  Map<String, Long> plainValues() {
    Map<String, Long> out = new TreeMap<>();
    for (SpanBlock b : blocks.values()) {
      long n = 0;
      try (RocksIterator it = db.newIterator(b.cf)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          n += SpanCodec.isPlain(it.value()) ? 1 : 0;
        }
      }
      out.put(b.block.name(), n);
    }
    return out;
  }

  /** Blocks that ended at or before {@code cutMillis}, with no write in flight. */
  List<SpanBlock> expired(long cutMillis) {
    List<SpanBlock> out = new ArrayList<>();
    for (SpanBlock b : blocks.values()) {
      if (b.block.endMillis() <= cutMillis && b.inFlight.get() == 0) {
        out.add(b);
      }
    }
    return out;
  }

  /** Drops a block whole: its index directory, column family and bounds. No reader may run. */
  void drop(SpanBlock b) throws RocksDBException {
    blocks.remove(b.block);
    b.index.abandon();
    IndexDirs.deleteTree(indexDir.resolve(b.block.name()));
    db.dropColumnFamily(b.cf);
    b.cf.close();
    db.delete(boundsKey(b.block));
    db.delete(DictionaryRewrite.key(b.block));
  }

  /** Waits (a bounded time) for in-flight indexing, then commits and closes every index. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    for (SpanBlock b : blocks.values()) {
      while (b.inFlight.get() > 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (SpanBlock b : blocks.values()) {
      try {
        b.index.close();
      } catch (RuntimeException e) {
        log.warn("closing the index of span block {} failed", b.block.name(), e);
      }
    }
    timer.shutdownNow();
  }

  /** Handles to close with the database (after {@link #close()}). */
  List<ColumnFamilyHandle> handles() {
    List<ColumnFamilyHandle> out = new ArrayList<>();
    for (SpanBlock b : blocks.values()) {
      out.add(b.cf);
    }
    return out;
  }
}
