package dev.sextant.alert.eval;

import dev.sextant.alert.query.Sample;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A recording or alerting rule, evaluated by its group. */
public sealed interface Rule permits AlertingRule, RecordingRule {
  String name();

  String expr();

  /**
   * Evaluates at {@code ctx.ts()} and returns the series to append (recorded series, or
   * {@code ALERTS}/{@code ALERTS_FOR_STATE}).
   */
  List<Sample> eval(EvalContext ctx) throws RuleEvaluationException;

  /** The last evaluation error, or null when the last evaluation succeeded. */
  @Nullable String lastError();

  /** When the rule was last evaluated, or null before its first evaluation. */
  @Nullable Instant lastEvaluation();
}
