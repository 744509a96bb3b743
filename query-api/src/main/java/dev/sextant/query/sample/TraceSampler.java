package dev.sextant.query.sample;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceQueryBuilder;
import dev.sextant.storage.TraceSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Picks at most {@code maxTraces} traces matching a search over {@code [from, to)}, the same ones
 * for the same stored data.
 *
 * <p>A search returns the newest matches first, so one search over an hour would only see its last
 * minutes. The window is cut into {@value #SLICES} equal slices instead, each searched for its
 * newest {@code maxTraces} traces; when the slices together return more than {@code maxTraces},
 * the ones kept are those with the smallest hash of their trace ID (a SplitMix64 mix, so
 * sequential test IDs spread too): a uniform sample of the window unless one slice alone holds
 * more than {@code maxTraces}, which then weighs less than its share. The cost of one sample is
 * bounded by {@value #SLICES} searches of at most {@code maxTraces} traces each, whatever the
 * window holds.
 */
public final class TraceSampler {
  /** Slices of the window searched separately. */
  public static final int SLICES = 10;
  /** Default most traces per sample. */
  public static final int DEFAULT_MAX_TRACES = 200;
  /** Largest {@code maxTraces} accepted. */
  public static final int MAX_TRACES = 1000;

  private TraceSampler() {}

  /**
   * Samples traces matching {@code criteria} (span criteria on a builder; the time range and limit
   * are set here) that {@code exclude} does not reject.
   *
   * @throws IllegalArgumentException when {@code maxTraces} is not 1-{@value #MAX_TRACES} or
   *     {@code from > to}
   */
  public static TraceSample sample(SpanSearch search, Consumer<TraceQueryBuilder> criteria,
      long fromUnixNano, long toUnixNano, int maxTraces, Predicate<String> exclude) {
    requireNonNull(search, "search");
    requireNonNull(criteria, "criteria");
    requireNonNull(exclude, "exclude");
    checkMaxTraces("maxTraces", maxTraces);
    if (fromUnixNano > toUnixNano) {
      throw new IllegalArgumentException("toUnixNano: " + toUnixNano + " (expected: >= "
          + fromUnixNano + ")");
    }
    int perSlice = Math.min(TraceQuery.MAX_LIMIT, maxTraces);
    long span = toUnixNano - fromUnixNano;
    Set<String> ids = new LinkedHashSet<>();
    boolean capped = false;
    for (int i = 0; i < SLICES && span > 0; i++) {
      long from = fromUnixNano + span / SLICES * i;
      long to = i == SLICES - 1 ? toUnixNano : fromUnixNano + span / SLICES * (i + 1);
      if (from >= to) {
        continue;
      }
      TraceQueryBuilder b = TraceQuery.builder();
      criteria.accept(b);
      List<TraceSummary> found = search.search(b.timeRange(from, to).limit(perSlice).build());
      capped |= found.size() >= perSlice;
      for (TraceSummary s : found) {
        if (!exclude.test(s.traceId())) {
          ids.add(s.traceId());
        }
      }
    }
    List<String> picked = new ArrayList<>(ids);
    if (picked.size() > maxTraces) {
      picked.sort(Comparator.comparingLong(TraceSampler::hash)
          .thenComparing(Comparator.naturalOrder()));
      picked = picked.subList(0, maxTraces);
    }
    return new TraceSample(picked, ids, capped);
  }

  /** Returns {@code maxTraces} if it is 1-{@value #MAX_TRACES}; fails naming {@code name}. */
  public static int checkMaxTraces(String name, int maxTraces) {
    if (maxTraces < 1 || maxTraces > MAX_TRACES) {
      throw new IllegalArgumentException(name + ": " + maxTraces + " (expected: 1-" + MAX_TRACES
          + ")");
    }
    return maxTraces;
  }

  /** SplitMix64 of the ID's last 16 hex digits (its random part in W3C trace IDs). */
  static long hash(String traceId) {
    long z = 0;
    for (int i = Math.max(0, traceId.length() - 16); i < traceId.length(); i++) {
      z = z * 16 + Character.digit(traceId.charAt(i), 16);
    }
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
