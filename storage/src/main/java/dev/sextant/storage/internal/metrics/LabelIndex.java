package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inverted index: label name → label value → sorted series ids, plus the list of all ids. Not
 * thread-safe; {@link SeriesRegistry} guards it with a read-write lock.
 *
 * <p>Matchers follow Prometheus: a series without the label has the value {@code ""}. A matcher
 * that does not match {@code ""} selects the union of the postings of the values it matches; one
 * that matches {@code ""} selects every series except the union of the values it rejects, which
 * also keeps the series lacking the label. Regex matchers test each distinct value of their label
 * once (never each series), or look up the values of a literal alternation ({@code a|b|c})
 * directly.
 *
 * <p>Testing values against a regex can take long (many values, long values), so it is split
 * from the index work: {@link #valueSnapshot} (under the lock) hands out the values,
 * {@link #chooseValues} tests them without any lock, and {@link #select(List, String[][])}
 * (under the lock again) turns the chosen values into ids.
 */
final class LabelIndex {
  /** The postings of one label value; holds the canonical value string. */
  private static final class Posting {
    final String value;
    final LongList ids = new LongList();

    Posting(String value) {
      this.value = value;
    }
  }

  /** The values of one label name; holds the canonical name string. */
  private static final class Values extends HashMap<String, Posting> {
    private static final long serialVersionUID = 1L;
    final String name;
    /**
     * The keys as an array, for regex matchers to test outside the lock; null when stale. Built
     * by readers under the read lock (concurrent builds are equal), cleared under the write lock.
     */
    transient volatile String[] snapshot;

    Values(String name) {
      this.name = name;
    }
  }

  private final Map<String, Values> postings = new HashMap<>();
  private final LongList all = new LongList();

  /** Labels whose strings are shared with the index, so equal strings are stored once. */
  Labels canonical(Labels labels) {
    String[] nv = new String[labels.size() * 2];
    for (int i = 0; i < labels.size(); i++) {
      Values values = postings.get(labels.name(i));
      Posting p = values == null ? null : values.get(labels.value(i));
      nv[2 * i] = values != null ? values.name : labels.name(i);
      nv[2 * i + 1] = p != null ? p.value : labels.value(i);
    }
    return Labels.of(nv);
  }

  void add(long id, Labels labels) {
    all.add(id);
    for (int i = 0; i < labels.size(); i++) {
      Values values = postings.computeIfAbsent(labels.name(i), Values::new);
      Posting p = values.get(labels.value(i));
      if (p == null) {
        p = new Posting(labels.value(i));
        values.put(p.value, p);
        values.snapshot = null;
      }
      p.ids.add(id);
    }
  }

  void remove(long id, Labels labels) {
    all.remove(id);
    for (int i = 0; i < labels.size(); i++) {
      Values values = postings.get(labels.name(i));
      if (values == null) {
        continue;
      }
      Posting p = values.get(labels.value(i));
      if (p != null && p.ids.remove(id) && p.ids.size() == 0) {
        values.remove(labels.value(i));
        values.snapshot = null;
        if (values.isEmpty()) {
          postings.remove(labels.name(i));
        }
      }
    }
  }

  int size() {
    return all.size();
  }

  Iterable<String> names() {
    return postings.keySet();
  }

  Iterable<String> values(String name) {
    Values values = postings.get(name);
    return values == null ? List.of() : values.keySet();
  }

  /** Ids of all series having label {@code name}. */
  long[] withName(String name) {
    return union(name, v -> true);
  }

  /**
   * Sorted ids of the series matching every matcher (all series when there is none), testing
   * values in place: for callers that hold the index alone (tests, single-threaded use).
   */
  long[] select(List<LabelMatcher> matchers) {
    String[][] chosen = new String[matchers.size()][];
    for (int i = 0; i < matchers.size(); i++) {
      LabelMatcher m = matchers.get(i);
      if (scans(m)) {
        chosen[i] = chooseValues(m, valueSnapshot(m.name()), () -> { });
      }
    }
    return select(matchers, chosen);
  }

  /**
   * Whether {@code m} must test the values of its label one by one: a regex that is not a
   * literal alternation whose values can be looked up ({@code =~"a|b"}, {@code !~"a|b"}; with
   * {@code ""} among them, the complement is needed, which takes a scan).
   */
  static boolean scans(LabelMatcher m) {
    if (m.type() == LabelMatcher.Type.EQ || m.type() == LabelMatcher.Type.NEQ) {
      return false;
    }
    Set<String> set = m.setMatches();
    return set == null || set.contains("");
  }

  /**
   * The distinct values of label {@code name} (shared, do not modify); call under the lock.
   * Cached until a value of the name is added or removed, so repeated queries copy nothing.
   */
  String[] valueSnapshot(String name) {
    Values values = postings.get(name);
    if (values == null) {
      return NO_VALUES;
    }
    String[] snap = values.snapshot;
    if (snap == null) {
      snap = values.keySet().toArray(NO_VALUES);
      values.snapshot = snap;
    }
    return snap;
  }

  /**
   * The values whose postings {@code m} needs, tested without any lock: those it matches when
   * it does not match {@code ""} (their union is included), else those it rejects (their union
   * is excluded). Runs {@code checkpoint} every {@value #CHECKPOINT_EVERY} values, which throws
   * to abandon the query (its deadline passed); a regex over many long values can take seconds.
   */
  static String[] chooseValues(LabelMatcher m, String[] values, Runnable checkpoint) {
    boolean wanted = !m.matchesEmpty();
    String[] out = new String[Math.min(values.length, 16)];
    int n = 0;
    for (int i = 0; i < values.length; i++) {
      if ((i & (CHECKPOINT_EVERY - 1)) == CHECKPOINT_EVERY - 1) {
        checkpoint.run();
      }
      if (m.matches(values[i]) == wanted) {
        if (n == out.length) {
          out = Arrays.copyOf(out, Math.max(16, n * 2));
        }
        out[n++] = values[i];
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  static final int CHECKPOINT_EVERY = 64;
  private static final String[] NO_VALUES = new String[0];

  /**
   * Sorted ids of the series matching every matcher (all series when there is none); call under
   * the lock. {@code chosen[i]} holds {@link #chooseValues} of matcher i when it
   * {@link #scans}, else null. Values chosen but gone since are skipped.
   */
  long[] select(List<LabelMatcher> matchers, String[][] chosen) {
    List<long[]> include = new ArrayList<>();
    List<long[]> exclude = new ArrayList<>();
    for (int i = 0; i < matchers.size(); i++) {
      LabelMatcher m = matchers.get(i);
      long[] ids;
      if (chosen[i] != null) {
        ids = union(m.name(), Arrays.asList(chosen[i]));
      } else if (m.type() == LabelMatcher.Type.EQ && !m.matchesEmpty()
          || m.type() == LabelMatcher.Type.NEQ && m.matchesEmpty()) {
        ids = exact(m.name(), m.value());
      } else if (m.type() == LabelMatcher.Type.EQ || m.type() == LabelMatcher.Type.NEQ) {
        // l="" keeps the series without l (excludes every non-empty value); l!="" keeps those
        // with one. A string comparison per value: no regex runs under the lock.
        boolean wanted = !m.matchesEmpty();
        ids = union(m.name(), v -> m.matches(v) == wanted);
      } else {
        // A literal alternation without "": =~ includes, !~ excludes exactly these values.
        ids = union(m.name(), m.setMatches());
      }
      if (!m.matchesEmpty()) {
        if (ids.length == 0) {
          return Postings.EMPTY;
        }
        include.add(ids);
      } else {
        exclude.add(ids);
      }
    }
    long[] result;
    if (include.isEmpty()) {
      result = all.toArray();
    } else {
      include.sort(Comparator.comparingInt(a -> a.length));
      result = include.get(0);
      for (int i = 1; i < include.size() && result.length > 0; i++) {
        result = Postings.intersect(result, include.get(i));
      }
    }
    for (long[] ex : exclude) {
      result = Postings.subtract(result, ex);
    }
    return result;
  }

  private long[] exact(String name, String value) {
    Values values = postings.get(name);
    Posting p = values == null ? null : values.get(value);
    return p == null ? Postings.EMPTY : p.ids.toArray();
  }

  private interface ValuePredicate {
    boolean test(String value);
  }

  private long[] union(String name, Collection<String> wanted) {
    Values values = postings.get(name);
    if (values == null) {
      return Postings.EMPTY;
    }
    List<LongList> hits = new ArrayList<>();
    int total = 0;
    for (String v : wanted) {
      Posting p = values.get(v);
      if (p != null) {
        hits.add(p.ids);
        total += p.ids.size();
      }
    }
    return concat(hits, total);
  }

  private long[] union(String name, ValuePredicate pred) {
    Values values = postings.get(name);
    if (values == null) {
      return Postings.EMPTY;
    }
    List<LongList> hits = new ArrayList<>();
    int total = 0;
    for (Posting p : values.values()) {
      if (pred.test(p.value)) {
        hits.add(p.ids);
        total += p.ids.size();
      }
    }
    return concat(hits, total);
  }

  private static long[] concat(List<LongList> hits, int total) {
    if (hits.isEmpty()) {
      return Postings.EMPTY;
    }
    if (hits.size() == 1) {
      return hits.get(0).toArray();
    }
    long[] out = new long[total];
    int off = 0;
    for (LongList l : hits) {
      off = l.copyTo(out, off);
    }
    // Values of one name have disjoint postings (a series has one value per name): sort only.
    Arrays.sort(out);
    return out;
  }
}
