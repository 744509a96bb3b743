package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.LabelMatcher;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The label order of the series a list of matchers selects, remembered while the registry is
 * unchanged (no series created or removed since, see {@link SeriesRegistry#generation()}): a
 * select then places its results by rank instead of sorting them by labels, which is most of
 * the cost of selecting thousands of series whose chunks are in memory (rules and dashboards
 * repeat the same selectors). Bounded: least recently used entries go once more than
 * {@link #MAX_RANKS} ranks are kept in all.
 */
final class SelectOrder {
  static final int MAX_RANKS = 1 << 21;

  private record Entry(long generation, int[] rank) {}

  private final LinkedHashMap<List<LabelMatcher>, Entry> entries =
      new LinkedHashMap<>(16, 0.75f, true);
  private long total;

  /**
   * The ranks stored for {@code matchers} at {@code generation} for {@code size} candidates, or
   * null.
   */
  synchronized int @Nullable [] get(List<LabelMatcher> matchers, long generation, int size) {
    Entry e = entries.get(matchers);
    return e != null && e.generation == generation && e.rank.length == size ? e.rank : null;
  }

  synchronized void put(List<LabelMatcher> matchers, long generation, int[] rank) {
    if (rank.length > MAX_RANKS) {
      return;
    }
    Entry old = entries.put(List.copyOf(matchers), new Entry(generation, rank));
    if (old != null) {
      total -= old.rank.length;
    }
    total += rank.length;
    Iterator<Entry> it = entries.values().iterator();
    while (total > MAX_RANKS && it.hasNext()) {
      total -= it.next().rank.length;
      it.remove();
    }
  }

  /** For each of {@code candidates} (in id order), its position in label order. */
  static int[] rank(List<MemSeries> candidates) {
    int n = candidates.size();
    long[] ids = new long[n];
    MemSeries[] sorted = new MemSeries[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = candidates.get(i);
      ids[i] = sorted[i].id;
    }
    Arrays.sort(sorted, (a, b) -> a.labels.compareTo(b.labels));
    int[] rank = new int[n];
    for (int p = 0; p < n; p++) {
      rank[Arrays.binarySearch(ids, sorted[p].id)] = p;
    }
    return rank;
  }
}
