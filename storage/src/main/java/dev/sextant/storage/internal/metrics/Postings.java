package dev.sextant.storage.internal.metrics;

import java.util.Arrays;

/** Set operations on sorted, duplicate-free arrays of series ids. */
final class Postings {
  static final long[] EMPTY = new long[0];

  private Postings() {}

  static long[] intersect(long[] a, long[] b) {
    if (a.length > b.length) {
      long[] t = a;
      a = b;
      b = t;
    }
    long[] out = new long[a.length];
    int n = 0;
    int j = 0;
    for (int i = 0; i < a.length && j < b.length; i++) {
      long v = a[i];
      // Galloping would help for very skewed sizes; a linear merge is enough here.
      while (j < b.length && b[j] < v) {
        j++;
      }
      if (j < b.length && b[j] == v) {
        out[n++] = v;
        j++;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** {@code a} without the elements of {@code b}. */
  static long[] subtract(long[] a, long[] b) {
    if (b.length == 0 || a.length == 0) {
      return a;
    }
    long[] out = new long[a.length];
    int n = 0;
    int j = 0;
    for (long v : a) {
      while (j < b.length && b[j] < v) {
        j++;
      }
      if (j >= b.length || b[j] != v) {
        out[n++] = v;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Sorts and removes duplicates in place; returns the distinct prefix as a new array. */
  static long[] sortedUnique(long[] a, int len) {
    Arrays.sort(a, 0, len);
    int n = 0;
    for (int i = 0; i < len; i++) {
      if (n == 0 || a[n - 1] != a[i]) {
        a[n++] = a[i];
      }
    }
    return n == a.length ? a : Arrays.copyOf(a, n);
  }
}
