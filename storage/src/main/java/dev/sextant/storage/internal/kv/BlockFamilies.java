package dev.sextant.storage.internal.kv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Naming of per-block column families: {@code <prefix><block name>}. RocksDB must be opened with
 * every column family it has, so opening lists them first.
 */
public final class BlockFamilies {
  private static final Logger log = LoggerFactory.getLogger(BlockFamilies.class);

  private BlockFamilies() {}

  /**
   * Appends to {@code cfs}, with {@code options}, every family of {@code existing} that
   * {@code cfs} does not name: RocksDB opens a database only with all of its families. Such a
   * family was left by another (development) build; it is kept as it is, never dropped (its data
   * may matter to whoever wrote it), and otherwise ignored. Returns how many were appended; their
   * handles come last, and the caller closes them with the others.
   */
  public static int addUnknown(List<ColumnFamilyDescriptor> cfs, List<String> existing,
      ColumnFamilyOptions options, Path dir) {
    List<String> unknown = new ArrayList<>();
    for (String name : existing) {
      byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
      if (cfs.stream().noneMatch(d -> Arrays.equals(d.getName(), bytes))) {
        cfs.add(new ColumnFamilyDescriptor(bytes, options));
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      log.warn("{} has column families this version does not use, kept untouched: {}", dir,
          unknown);
    }
    return unknown.size();
  }

  /** Column family names in the database at {@code dir}; empty when there is none yet. */
  public static List<String> existing(Path dir) {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return List.of();
    }
    try (Options o = new Options()) {
      List<String> out = new ArrayList<>();
      for (byte[] name : RocksDB.listColumnFamilies(o, dir.toString())) {
        out.add(new String(name, StandardCharsets.UTF_8));
      }
      return out;
    } catch (RocksDBException e) {
      return List.of();
    }
  }

  /** The blocks among {@code names} under {@code prefix}, in time order. */
  public static List<Block> blocks(List<String> names, String prefix) {
    List<Block> out = new ArrayList<>();
    for (String n : names) {
      if (n.startsWith(prefix)) {
        Block b = Block.parse(n.substring(prefix.length()));
        if (b != null) {
          out.add(b);
        }
      }
    }
    out.sort(null);
    return out;
  }

  public static ColumnFamilyDescriptor descriptor(String prefix, Block block,
      ColumnFamilyOptions options) {
    return new ColumnFamilyDescriptor(name(prefix, block), options);
  }

  public static byte[] name(String prefix, Block block) {
    return (prefix + block.name()).getBytes(StandardCharsets.UTF_8);
  }

  /** Pairs the handles opened for {@code blocks} (in the same order, from {@code offset}). */
  public static Map<Block, ColumnFamilyHandle> pair(List<Block> blocks,
      List<ColumnFamilyHandle> handles, int offset) {
    Map<Block, ColumnFamilyHandle> out = new TreeMap<>();
    for (int i = 0; i < blocks.size(); i++) {
      out.put(blocks.get(i), handles.get(offset + i));
    }
    return out;
  }
}
