package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inverted index: label name → label value → sorted series ids, plus the list of all ids. Not
 * thread-safe; {@link SeriesRegistry} guards it with a read-write lock.
 *
 * <p>Matchers follow Prometheus: a series without the label has the value {@code ""}. A matcher
 * that does not match {@code ""} selects the union of the postings of the values it matches; one
 * that matches {@code ""} selects every series except the union of the values it rejects, which
 * also keeps the series lacking the label. Regex matchers scan only the values of their label.
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
      postings.computeIfAbsent(labels.name(i), Values::new)
          .computeIfAbsent(labels.value(i), Posting::new)
          .ids.add(id);
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

  /** Sorted ids of the series matching every matcher (all series when there is none). */
  long[] select(List<LabelMatcher> matchers) {
    List<long[]> include = new ArrayList<>();
    List<long[]> exclude = new ArrayList<>();
    for (LabelMatcher m : matchers) {
      if (!m.matchesEmpty()) {
        long[] ids = m.type() == LabelMatcher.Type.EQ ? exact(m.name(), m.value())
            : union(m.name(), m::matches);
        if (ids.length == 0) {
          return Postings.EMPTY;
        }
        include.add(ids);
      } else if (m.type() == LabelMatcher.Type.NEQ) {
        exclude.add(exact(m.name(), m.value()));
      } else {
        exclude.add(union(m.name(), v -> !m.matches(v)));
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
