package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Labels → series, id → series, and the label index. Ids are dense and grow, so id → series is an
 * array. Only the writer thread adds or removes series (under the write lock); readers take the
 * read lock.
 */
final class SeriesRegistry {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Labels, MemSeries> byLabels = new HashMap<>();
  private final LabelIndex index = new LabelIndex();
  private MemSeries[] byId = new MemSeries[1024];
  private long nextId = 1;
  // Series per __name__, for the per-metric series limit; changed and read on the writer thread
  // (and by recovery, before that thread starts).
  private final Map<String, int[]> perMetric = new HashMap<>();
  private int count;
  /** Changes whenever a series is created or removed (under the write lock). */
  private final AtomicLong generation = new AtomicLong();

  /** The series for {@code labels}, or null; writer thread only. */
  MemSeries get(Labels labels) {
    return byLabels.get(labels);
  }

  /** The series with {@code id}, or null. */
  MemSeries get(long id) {
    lock.readLock().lock();
    try {
      return id > 0 && id < byId.length ? byId[(int) id] : null;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Whether {@code s} is a live series of this registry (not removed, not another store's);
   * writer thread only.
   */
  @SuppressWarnings("ReferenceEquality") // the very instance is the question
  boolean holds(MemSeries s) {
    MemSeries[] a = byId;
    return s.id < a.length && a[(int) s.id] == s;
  }

  /** Creates a series with a fresh id; writer thread only. */
  MemSeries create(Labels labels) {
    lock.writeLock().lock();
    try {
      return put(nextId, labels);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Registers a series read back from RocksDB at open. */
  MemSeries restore(long id, Labels labels) {
    lock.writeLock().lock();
    try {
      return put(id, labels);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private MemSeries put(long id, Labels labels) {
    if (id >= Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("series ids exhausted: " + id);
    }
    generation.incrementAndGet();
    MemSeries s = new MemSeries(id, index.canonical(labels));
    if (id >= byId.length) {
      byId = Arrays.copyOf(byId, (int) Math.max(id + 1, byId.length * 3L / 2));
    }
    if (byId[(int) id] == null) {
      count++;
      perMetric.computeIfAbsent(metricName(s.labels), k -> new int[1])[0]++;
    }
    byId[(int) id] = s;
    // Keyed by the caller's object: a client that reuses its Labels (the scraper's series cache
    // does) then finds the series by reference, without comparing every string.
    byLabels.put(labels, s);
    index.add(id, s.labels);
    nextId = Math.max(nextId, id + 1);
    return s;
  }

  void remove(MemSeries s) {
    lock.writeLock().lock();
    try {
      generation.incrementAndGet();
      if (byId[(int) s.id] == s) {
        count--;
        String name = metricName(s.labels);
        int[] n = perMetric.get(name);
        if (n != null && --n[0] <= 0) {
          perMetric.remove(name);
        }
      }
      byId[(int) s.id] = null;
      byLabels.remove(s.labels);
      index.remove(s.id, s.labels);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * A number that changes whenever a series is created or removed: equal before and after a
   * {@link #select}, the selection is the one of that registry state.
   */
  long generation() {
    return generation.get();
  }

  /** Series matching all matchers (every series when none), in id order. */
  List<MemSeries> select(List<LabelMatcher> matchers) {
    return select(matchers, NO_CHECKPOINT);
  }

  /**
   * Series matching all matchers (every series when none), in id order. Regex matchers are
   * tested outside the lock, so a slow regex never holds up the writer: the label values are
   * taken under the read lock, tested with no lock held ({@code checkpoint} runs every few
   * values and may throw to abandon the query), and turned into ids under the read lock again.
   * The answer is the matching series that existed when the values were taken and still exist.
   */
  List<MemSeries> select(List<LabelMatcher> matchers, Runnable checkpoint) {
    return select(matchers, null, checkpoint);
  }

  /** Series that have label {@code name}, matching all matchers (as {@link #select}). */
  List<MemSeries> selectWithName(String name, List<LabelMatcher> matchers) {
    return select(matchers, name, NO_CHECKPOINT);
  }

  private List<MemSeries> select(List<LabelMatcher> matchers, String withName,
                                 Runnable checkpoint) {
    String[][] chosen = new String[matchers.size()][];
    long idLimit = Long.MAX_VALUE;
    if (matchers.stream().anyMatch(LabelIndex::scans)) {
      String[][] values = new String[matchers.size()][];
      lock.readLock().lock();
      try {
        for (int i = 0; i < matchers.size(); i++) {
          if (LabelIndex.scans(matchers.get(i))) {
            values[i] = index.valueSnapshot(matchers.get(i).name());
          }
        }
        // Series created from here on have larger ids; they are left out, as the values they
        // may have added were not tested (a new job="x" must not pass job!~"x" untested).
        idLimit = nextId;
      } finally {
        lock.readLock().unlock();
      }
      for (int i = 0; i < matchers.size(); i++) {
        if (values[i] != null) {
          chosen[i] = LabelIndex.chooseValues(matchers.get(i), values[i], checkpoint);
        }
      }
      checkpoint.run();
    }
    lock.readLock().lock();
    try {
      long[] ids;
      if (withName == null) {
        ids = index.select(matchers, chosen);
      } else {
        ids = index.withName(withName);
        if (!matchers.isEmpty()) {
          ids = Postings.intersect(ids, index.select(matchers, chosen));
        }
      }
      return resolve(below(ids, idLimit));
    } finally {
      lock.readLock().unlock();
    }
  }

  private static final Runnable NO_CHECKPOINT = () -> { };

  /** The prefix of sorted {@code ids} below {@code limit}. */
  private static long[] below(long[] ids, long limit) {
    if (ids.length == 0 || ids[ids.length - 1] < limit) {
      return ids;
    }
    int i = Arrays.binarySearch(ids, limit);
    return Arrays.copyOf(ids, i >= 0 ? i : -i - 1);
  }

  void forEach(Consumer<MemSeries> action) {
    List<MemSeries> all = select(List.of());
    all.forEach(action);
  }

  int size() {
    lock.readLock().lock();
    try {
      return index.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Series in the registry; writer thread only (the limits' count). */
  int count() {
    return count;
  }

  /** Series named {@code name}; writer thread only. */
  int countOf(String name) {
    int[] n = perMetric.get(name);
    return n == null ? 0 : n[0];
  }

  static String metricName(Labels labels) {
    String n = labels.metricName();
    return n == null ? "" : n;
  }

  private List<MemSeries> resolve(long[] ids) {
    List<MemSeries> out = new ArrayList<>(ids.length);
    for (long id : ids) {
      MemSeries s = byId[(int) id];
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }
}
