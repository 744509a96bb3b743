package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The metric metadata of one store, bounded: at most {@value #MAX_ENTRIES} distinct entries in
 * all and {@value #MAX_PER_METRIC} per metric (a new one replaces the one seen least recently:
 * a changed help text replaces the old one); names longer than {@value #MAX_NAME_LENGTH}
 * characters are ignored, help texts cut at {@value #MAX_HELP_LENGTH} and units at
 * {@value #MAX_UNIT_LENGTH}. Past {@value #MAX_ENTRIES}, entries of metrics not known yet are
 * dropped and counted. Retention drops entries not seen since its cut-off.
 *
 * <p>Kept in memory and in the default column family ({@code meta/<metric>\0<type>\0<unit>\0
 * <help>} → the last time it was seen, unix ms). The time is rewritten only when it has moved by
 * more than {@link #PERSIST_EVERY_MILLIS}: an entry costs a write when it appears, then rarely.
 * Writes are not synced: metadata is advisory, and the next scrape or remote write brings back
 * any lost in a power cut.
 */
final class MetadataTable {
  static final int MAX_ENTRIES = 20_000;
  static final int MAX_PER_METRIC = 4;
  static final int MAX_NAME_LENGTH = 1024;
  static final int MAX_HELP_LENGTH = 1024;
  static final int MAX_UNIT_LENGTH = 128;
  static final long PERSIST_EVERY_MILLIS = 3_600_000L;
  private static final byte[] PREFIX = "meta/".getBytes(StandardCharsets.UTF_8);

  private static final class Entry {
    final MetricMetadata metadata;
    long seen;
    long persisted;

    Entry(MetricMetadata metadata, long seen, long persisted) {
      this.metadata = metadata;
      this.seen = seen;
      this.persisted = persisted;
    }
  }

  private final RocksDB db;
  private final Map<String, List<Entry>> byMetric = new HashMap<>();
  private int size;
  private long dropped;

  private MetadataTable(RocksDB db) {
    this.db = db;
  }

  /** Reads the entries stored in {@code db}'s default column family. */
  static MetadataTable load(RocksDB db) {
    MetadataTable t = new MetadataTable(db);
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(PREFIX); it.isValid() && startsWith(it.key()); it.next()) {
        MetricMetadata m = decode(it.key());
        byte[] v = it.value();
        if (m != null && v.length == 8) {
          long seen = Keys.getLong(v, 0);
          t.byMetric.computeIfAbsent(m.metric(), k -> new ArrayList<>(1))
              .add(new Entry(m, seen, seen));
          t.size++;
        }
      }
    }
    return t;
  }

  /** Records {@code metadata} as seen at {@code nowMillis}. */
  synchronized void put(List<MetricMetadata> metadata, long nowMillis) {
    for (MetricMetadata raw : metadata) {
      MetricMetadata m = bounded(raw);
      if (m == null) {
        dropped++;
        continue;
      }
      List<Entry> entries = byMetric.get(m.metric());
      Entry e = entries == null ? null : find(entries, m);
      if (e != null) {
        e.seen = Math.max(e.seen, nowMillis);
        if (e.seen - e.persisted > PERSIST_EVERY_MILLIS) {
          write(m, e.seen);
          e.persisted = e.seen;
        }
        continue;
      }
      if (entries != null && entries.size() >= MAX_PER_METRIC) {
        Entry oldest = entries.stream().min(Comparator.comparingLong(x -> x.seen)).orElseThrow();
        entries.remove(oldest);
        delete(oldest.metadata);
        size--;
      } else if (size >= MAX_ENTRIES) {
        dropped++;
        continue;
      }
      write(m, nowMillis);
      byMetric.computeIfAbsent(m.metric(), k -> new ArrayList<>(1))
          .add(new Entry(m, nowMillis, nowMillis));
      size++;
    }
  }

  /** Sorted by metric; see {@link dev.sextant.storage.metrics.MetricReader#metadata}. */
  synchronized Map<String, List<MetricMetadata>> get(@Nullable String metric, int limit,
      int limitPerMetric) {
    Map<String, List<MetricMetadata>> out = new LinkedHashMap<>();
    Map<String, List<Entry>> from = metric == null ? new TreeMap<>(byMetric)
        : byMetric.containsKey(metric) ? Map.of(metric, byMetric.get(metric)) : Map.of();
    for (Map.Entry<String, List<Entry>> e : from.entrySet()) {
      if (limit >= 0 && out.size() >= limit) {
        break;
      }
      List<Entry> sorted = new ArrayList<>(e.getValue());
      sorted.sort(Comparator.comparingLong((Entry x) -> x.seen).reversed());
      List<MetricMetadata> list = new ArrayList<>(sorted.size());
      for (Entry x : sorted) {
        if (limitPerMetric > 0 && list.size() >= limitPerMetric) {
          break;
        }
        list.add(x.metadata);
      }
      out.put(e.getKey(), List.copyOf(list));
    }
    return out;
  }

  /** Drops the entries last seen before {@code cutMillis}. */
  synchronized void dropSeenBefore(long cutMillis) {
    for (var it = byMetric.values().iterator(); it.hasNext(); ) {
      List<Entry> entries = it.next();
      for (var e = entries.iterator(); e.hasNext(); ) {
        Entry x = e.next();
        if (x.seen < cutMillis) {
          delete(x.metadata);
          e.remove();
          size--;
        }
      }
      if (entries.isEmpty()) {
        it.remove();
      }
    }
  }

  synchronized int size() {
    return size;
  }

  /** Entries refused since open: over {@value #MAX_ENTRIES}, or a name too long. */
  synchronized long dropped() {
    return dropped;
  }

  private static @Nullable Entry find(List<Entry> entries, MetricMetadata m) {
    for (Entry e : entries) {
      if (e.metadata.equals(m)) {
        return e;
      }
    }
    return null;
  }

  /** {@code m} within the bounds; null when its name is too long or holds a NUL. */
  private static @Nullable MetricMetadata bounded(MetricMetadata m) {
    if (m.metric().length() > MAX_NAME_LENGTH || m.metric().indexOf('\0') >= 0) {
      return null;
    }
    String unit = cut(m.unit().replace("\0", ""), MAX_UNIT_LENGTH);
    String help = cut(m.help(), MAX_HELP_LENGTH);
    return unit.equals(m.unit()) && help.equals(m.help()) ? m
        : new MetricMetadata(m.metric(), m.type(), help, unit);
  }

  private static String cut(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    // Not between the two halves of a surrogate pair: the cut text stays valid UTF-16.
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  private void write(MetricMetadata m, long seen) {
    byte[] v = new byte[8];
    Keys.putLong(v, 0, seen);
    try {
      db.put(encode(m), v);
    } catch (RocksDBException e) {
      throw new StorageException("cannot store metric metadata: " + e.getMessage(), e);
    }
  }

  private void delete(MetricMetadata m) {
    try {
      db.delete(encode(m));
    } catch (RocksDBException e) {
      throw new StorageException("cannot delete metric metadata: " + e.getMessage(), e);
    }
  }

  static byte[] encode(MetricMetadata m) {
    String s = m.metric() + '\0' + m.type().key() + '\0' + m.unit() + '\0' + m.help();
    byte[] body = s.getBytes(StandardCharsets.UTF_8);
    byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + body.length);
    System.arraycopy(body, 0, key, PREFIX.length, body.length);
    return key;
  }

  /** The metadata of a key; null when it is not one this version wrote. */
  static @Nullable MetricMetadata decode(byte[] key) {
    String s = new String(key, PREFIX.length, key.length - PREFIX.length,
        StandardCharsets.UTF_8);
    String[] parts = s.split("\0", 4);
    if (parts.length != 4 || parts[0].isEmpty()) {
      return null;
    }
    return new MetricMetadata(parts[0], MetricMetadata.Type.parse(parts[1]), parts[3], parts[2]);
  }

  private static boolean startsWith(byte[] key) {
    return key.length >= PREFIX.length
        && Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length);
  }
}
