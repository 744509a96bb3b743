package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A value over-represented in the selection.
 *
 * @param selectionCount selected traces having the value
 * @param selectionProportion {@code selectionCount} over the selected traces analysed
 * @param baselineCount baseline traces having the value
 * @param baselineProportion {@code baselineCount} over the baseline traces analysed
 * @param score {@code selectionProportion - baselineProportion}, in (0, 1]
 */
public record Difference(Field field, int selectionCount, double selectionProportion,
    int baselineCount, double baselineProportion, double score) {
  public Difference {
    requireNonNull(field, "field");
  }

  /**
   * One line for people, e.g. "82 % of failing traces have payment.provider=acme, 3 % of the
   * others".
   */
  public String describe(String selectionNoun) {
    return percent(selectionProportion) + " of " + selectionNoun + " have " + field + ", "
        + percent(baselineProportion) + " of the others";
  }

  static String percent(double p) {
    double pct = p * 100;
    if (pct > 0 && pct < 1) {
      return String.format(Locale.ROOT, "%.1f %%", pct);
    }
    return Math.round(pct) + " %";
  }
}
