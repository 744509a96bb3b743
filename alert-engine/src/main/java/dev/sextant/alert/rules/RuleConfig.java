package dev.sextant.alert.rules;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a rule file, as written: an alerting rule ({@link #alert()} non-null) or a recording
 * rule ({@link #record()} non-null). Label and annotation values are unexpanded templates.
 * {@code line} is the 1-based line of the rule in its file.
 */
public record RuleConfig(@Nullable String alert, @Nullable String record, String expr,
    Duration forDuration, Duration keepFiringFor, Map<String, String> labels,
    Map<String, String> annotations, int line) {
  /** True for an alerting rule, false for a recording rule. */
  public boolean isAlert() {
    return alert != null;
  }

  /** The alert or record name. */
  public String name() {
    return alert != null ? alert : record;
  }
}
