package dev.sextant.collector.scrape;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SeriesRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One target's exposition series text ({@code name{labels}} as the target wrote it) → its
 * entry, keyed by the raw bytes of the body so a series seen before costs a hash of its bytes
 * and one comparison: no string, no label parsing, no relabelling (what Prometheus's scrape
 * cache does). Open addressing with linear probing; not thread-safe.
 */
final class SeriesCache {
  /**
   * A series of the target, with the target labels applied; its {@link SeriesRef} lets the
   * store append it by reference.
   */
  static final class Entry {
    final Labels labels;
    final SeriesRef ref;
    /** The scrape that last had this series; -1 before any. */
    long seenIn = -1;
    /** Whether the last scrape that had it gave an explicit timestamp (no staleness then). */
    boolean explicitTime;

    Entry(Labels labels) {
      this.labels = labels;
      this.ref = new SeriesRef(labels);
    }
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[][] keys = new byte[64][];
  private int[] hashes = new int[64];
  private Entry[] entries = new Entry[64];
  private int size;

  int size() {
    return size;
  }

  /** The entry of {@code body[from, to)}, or null. */
  Entry get(byte[] body, int from, int to, int hash) {
    int mask = keys.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      byte[] k = keys[i];
      if (k == null) {
        return null;
      }
      if (hashes[i] == hash && Arrays.equals(k, 0, k.length, body, from, to)) {
        return entries[i];
      }
    }
  }

  /** Adds the key {@code body[from, to)}, which must be absent. */
  void put(byte[] body, int from, int to, int hash, Entry e) {
    if ((size + 1) * 2 > keys.length) {
      rehash(keys.length * 2);
    }
    insert(Arrays.copyOfRange(body, from, to), hash, e);
    size++;
  }

  /** Drops every key whose entry was not seen in scrape {@code scrape}. */
  void retainSeenIn(long scrape) {
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    Entry[] oldEntries = entries;
    keys = new byte[oldKeys.length][];
    hashes = new int[oldKeys.length];
    entries = new Entry[oldKeys.length];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null && oldEntries[i].seenIn == scrape) {
        insert(oldKeys[i], oldHashes[i], oldEntries[i]);
        size++;
      }
    }
  }

  void clear() {
    Arrays.fill(keys, null);
    Arrays.fill(entries, null);
    size = 0;
  }

  /**
   * A well-mixed hash of {@code body[from, to)}, eight bytes a step (a series text is ~60 bytes:
   * a byte-at-a-time polynomial is a chain of as many multiplications).
   */
  static int hash(byte[] body, int from, int to) {
    long h = 0x9E3779B97F4A7C15L ^ (to - from);
    int i = from;
    for (; i + 8 <= to; i += 8) {
      h = Long.rotateLeft(h ^ (long) LONGS.get(body, i), 31) * 0xBF58476D1CE4E5B9L;
    }
    long tail = 0;
    for (; i < to; i++) {
      tail = (tail << 8) | (body[i] & 0xFF);
    }
    h = (h ^ tail) * 0x94D049BB133111EBL;
    h ^= h >>> 29;
    h *= 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 32));
  }

  private void rehash(int capacity) {
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    Entry[] oldEntries = entries;
    keys = new byte[capacity][];
    hashes = new int[capacity];
    entries = new Entry[capacity];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldHashes[i], oldEntries[i]);
      }
    }
  }

  private void insert(byte[] key, int hash, Entry e) {
    int mask = keys.length - 1;
    int i = hash & mask;
    while (keys[i] != null) {
      i = (i + 1) & mask;
    }
    keys[i] = key;
    hashes[i] = hash;
    entries[i] = e;
  }
}
