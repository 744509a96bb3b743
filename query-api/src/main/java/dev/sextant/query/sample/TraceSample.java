package dev.sextant.query.sample;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which traces of a window were picked for an answer.
 *
 * @param traceIds the picked trace IDs, at most the sampler's {@code maxTraces}
 * @param candidateIds every distinct matching trace the searches returned (at most
 *     {@value TraceSampler#SLICES} × {@value dev.sextant.storage.TraceQuery#MAX_LIMIT}); fewer
 *     than the window holds when {@code candidatesCapped}
 * @param candidatesCapped whether a slice of the window held more matching traces than its search
 *     returned, so {@code candidateIds} undercounts the window
 */
public record TraceSample(List<String> traceIds, Set<String> candidateIds,
    boolean candidatesCapped) {
  public TraceSample {
    traceIds = List.copyOf(traceIds);
    candidateIds = Collections.unmodifiableSet(new LinkedHashSet<>(candidateIds));
  }

  /** Distinct matching traces found; a lower bound of the window's when capped. */
  public int candidates() {
    return candidateIds.size();
  }

  /** Whether the answer saw fewer traces than the window holds. */
  public boolean sampled() {
    return candidatesCapped || traceIds.size() < candidateIds.size();
  }
}
