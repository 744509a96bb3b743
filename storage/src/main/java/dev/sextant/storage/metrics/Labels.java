package dev.sextant.storage.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * An immutable label set, sorted by name, with unique names and no empty values (a label with an
 * empty value is the same as no label, as in Prometheus). Equal sets are equal objects.
 */
public final class Labels implements Iterable<Label>, Comparable<Labels> {
  public static final Labels EMPTY = new Labels(new String[0]);
  /** The metric name label. */
  public static final String NAME = "__name__";

  // names and values interleaved: n0, v0, n1, v1, ... sorted by name
  private final String[] nv;
  private int hash;
  // Racy single-check caching is safe: Labels is immutable with a final field.
  private Labels noName;

  private Labels(String[] nv) {
    this.nv = nv;
  }

  /** From alternating names and values: {@code of("__name__", "up", "job", "api")}. */
  public static Labels of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "namesAndValues: " + namesAndValues.length + " strings (expected: an even number)");
    }
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      m.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return of(m);
  }

  /** From a map; entries with empty values are dropped. */
  public static Labels of(Map<String, String> map) {
    TreeMap<String, String> sorted = map instanceof TreeMap<String, String> t && t.comparator() == null
        ? t : new TreeMap<>(map);
    List<String> out = new ArrayList<>(sorted.size() * 2);
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      if (e.getValue() != null && !e.getValue().isEmpty()) {
        out.add(e.getKey());
        out.add(e.getValue());
      }
    }
    return out.isEmpty() ? EMPTY : new Labels(out.toArray(new String[0]));
  }

  /** The value of {@code name}, or {@code ""} when absent. */
  public String get(String name) {
    int lo = 0;
    int hi = size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = nv[mid * 2].compareTo(name);
      if (c == 0) {
        return nv[mid * 2 + 1];
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return "";
  }

  public boolean has(String name) {
    return !get(name).isEmpty();
  }

  public int size() {
    return nv.length / 2;
  }

  public String name(int i) {
    return nv[i * 2];
  }

  public String value(int i) {
    return nv[i * 2 + 1];
  }

  /** This set without label {@code name}; this instance when it has no such label. */
  public Labels without(String name) {
    int n = size();
    for (int i = 0; i < n; i++) {
      if (nv[2 * i].equals(name)) {
        if (n == 1) {
          return EMPTY;
        }
        String[] out = new String[nv.length - 2];
        System.arraycopy(nv, 0, out, 0, 2 * i);
        System.arraycopy(nv, 2 * i + 2, out, 2 * i, nv.length - 2 * i - 2);
        return new Labels(out);
      }
    }
    return this;
  }

  /**
   * This set without the metric name, computed once per instance (series keep their Labels
   * instance, so queries that drop the name do not rebuild it).
   */
  public Labels withoutName() {
    Labels l = noName;
    if (l == null) {
      l = without(NAME);
      noName = l;
    }
    return l;
  }

  /** The metric name, or {@code ""}. */
  public String metricName() {
    return get(NAME);
  }

  /** A mutable copy as a sorted map. */
  public TreeMap<String, String> toMap() {
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < nv.length; i += 2) {
      m.put(nv[i], nv[i + 1]);
    }
    return m;
  }

  @Override
  public Iterator<Label> iterator() {
    return new Iterator<>() {
      int i;

      @Override
      public boolean hasNext() {
        return i < nv.length;
      }

      @Override
      public Label next() {
        if (i >= nv.length) {
          throw new NoSuchElementException();
        }
        Label l = new Label(nv[i], nv[i + 1]);
        i += 2;
        return l;
      }
    };
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // the identity test is only a fast path
  public int compareTo(Labels o) {
    int n = Math.min(nv.length, o.nv.length);
    for (int i = 0; i < n; i++) {
      // Series labels share their strings (the index keeps one copy): skip equal references.
      if (nv[i] == o.nv[i]) {
        continue;
      }
      int c = nv[i].compareTo(o.nv[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(nv.length, o.nv.length);
  }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof Labels l && Arrays.equals(nv, l.nv));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = mix(nv);
      hash = h;
    }
    return h;
  }

  /**
   * MurmurHash3's mixing over the strings' hashes. A polynomial hash ({@link Arrays#hashCode})
   * collides a lot on label sets such as {@code {job="job-3", instance="inst-13"}}, whose values
   * differ in a character or two: a change of one in a value's hash is undone by a change of 31
   * in the next one's.
   */
  private static int mix(String[] nv) {
    int h = nv.length;
    for (String s : nv) {
      int k = s.hashCode() * 0xcc9e2d51;
      k = Integer.rotateLeft(k, 15) * 0x1b873593;
      h ^= k;
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  /** Prometheus notation: {@code up{job="api"}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    String metric = metricName();
    sb.append(metric).append('{');
    boolean first = true;
    for (int i = 0; i < nv.length; i += 2) {
      if (nv[i].equals(NAME)) {
        continue;
      }
      if (!first) {
        sb.append(", ");
      }
      first = false;
      sb.append(nv[i]).append("=\"").append(escape(nv[i + 1])).append('"');
    }
    return sb.append('}').toString();
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
