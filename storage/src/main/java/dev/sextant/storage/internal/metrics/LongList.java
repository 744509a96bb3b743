package dev.sextant.storage.internal.metrics;

import java.util.Arrays;

/** A growable, sorted, duplicate-free list of primitive longs: one postings list. */
final class LongList {
  private long[] a;
  private int size;

  LongList() {
    a = new long[2];
  }

  LongList(long[] sorted) {
    a = sorted;
    size = sorted.length;
  }

  int size() {
    return size;
  }

  long get(int i) {
    return a[i];
  }

  /** Adds {@code v}, cheaply when it is the largest so far (series ids grow). */
  void add(long v) {
    if (size > 0 && a[size - 1] >= v) {
      int i = Arrays.binarySearch(a, 0, size, v);
      if (i >= 0) {
        return;
      }
      int at = -i - 1;
      grow();
      System.arraycopy(a, at, a, at + 1, size - at);
      a[at] = v;
      size++;
      return;
    }
    grow();
    a[size++] = v;
  }

  boolean remove(long v) {
    int i = Arrays.binarySearch(a, 0, size, v);
    if (i < 0) {
      return false;
    }
    System.arraycopy(a, i + 1, a, i, size - i - 1);
    size--;
    return true;
  }

  long[] toArray() {
    return Arrays.copyOf(a, size);
  }

  /** Copies into {@code dst} at {@code off}; returns the new end offset. */
  int copyTo(long[] dst, int off) {
    System.arraycopy(a, 0, dst, off, size);
    return off + size;
  }

  private void grow() {
    if (size == a.length) {
      a = Arrays.copyOf(a, a.length < 64 ? a.length * 2 : a.length + (a.length >> 1));
    }
  }
}
