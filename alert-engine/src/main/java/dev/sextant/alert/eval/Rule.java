package dev.sextant.alert.eval;

import dev.sextant.alert.Sample;
import java.time.Instant;
import java.util.List;

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
  String lastError();

  Instant lastEvaluation();
}
