package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The answer of {@link TraceComparer#compare}.
 *
 * @param query what was compared
 * @param selection the selected traces
 * @param baseline the other traces of the window
 * @param truncated whether the span budget ran out before every sampled trace was read whole
 * @param differences the values most over-represented in the selection, best first
 * @param ignoredKeys keys left out because their values identify a trace rather than describe it
 *     (IDs, timestamps, or more distinct values than a quarter of the traces analysed)
 * @param selectionNoun how {@link Difference#describe} names the selected traces
 */
public record Comparison(CompareQuery query, Side selection, Side baseline, boolean truncated,
    List<Difference> differences, List<IgnoredKey> ignoredKeys, String selectionNoun) {
  public Comparison {
    requireNonNull(query, "query");
    requireNonNull(selection, "selection");
    requireNonNull(baseline, "baseline");
    differences = List.copyOf(differences);
    ignoredKeys = List.copyOf(ignoredKeys);
    requireNonNull(selectionNoun, "selectionNoun");
  }

  /** Whether the answer rests on fewer traces (or spans) than the window holds. */
  public boolean sampled() {
    return selection.sampled() || baseline.sampled() || truncated;
  }

  /**
   * One side of the comparison.
   *
   * @param candidates distinct traces the searches found; a lower bound when
   *     {@code candidatesCapped}
   * @param candidatesCapped whether the window held more than the searches returned
   * @param analysed traces whose spans were counted (the proportions' denominator)
   * @param sampled whether fewer traces were analysed than the window holds
   * @param reclassified for the baseline: picked traces dropped because they meet the selection's
   *     condition after all (the selection's own searches were capped); 0 for the selection
   */
  public record Side(int candidates, boolean candidatesCapped, int analysed, boolean sampled,
      int reclassified) {}

  /** A key whose values were not ranked, and why. */
  public record IgnoredKey(String scope, String key, String reason) {}
}
