package dev.sextant.alert.eval;

import dev.sextant.alert.query.Sample;
import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** A recording rule: the query result, renamed and relabelled, written back as series. */
public final class RecordingRule implements Rule {
  private final String name;
  private final String expr;
  private final Map<String, String> labels;
  private volatile String lastError;
  private volatile Instant lastEvaluation;

  /** A rule that records what {@code expr} returns as series {@code name}, with {@code labels}. */
  public RecordingRule(String name, String expr, Map<String, String> labels) {
    this.name = requireNonNull(name, "name");
    this.expr = requireNonNull(expr, "expr");
    this.labels = Map.copyOf(requireNonNull(labels, "labels"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String expr() {
    return expr;
  }

  /** The labels added to (or overriding those of) each recorded series. */
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public List<Sample> eval(EvalContext ctx) throws RuleEvaluationException {
    lastEvaluation = ctx.ts();
    try {
      List<Sample> in = ctx.query().query(expr, ctx.ts());
      List<Sample> out = new ArrayList<>(in.size());
      Set<Labels> seen = new HashSet<>();
      for (Sample s : in) {
        TreeMap<String, String> m = s.labels().toMap();
        m.put(Labels.NAME, name);
        m.putAll(labels);
        Labels l = Labels.of(m);
        if (!seen.add(l)) {
          throw new RuleEvaluationException(
              "vector contains metrics with the same labelset after applying rule labels", null);
        }
        out.add(new Sample(l, s.value()));
      }
      if (ctx.limit() > 0 && out.size() > ctx.limit()) {
        throw new RuleEvaluationException("exceeded limit of " + ctx.limit() + " with "
            + out.size() + " series", null);
      }
      lastError = null;
      return out;
    } catch (RuleEvaluationException e) {
      lastError = e.getMessage();
      throw e;
    } catch (Exception e) {
      lastError = String.valueOf(e.getMessage());
      throw new RuleEvaluationException(lastError, e);
    }
  }

  /**
   * The store refused some of this rule's series (a per-tenant series limit): the rule's health
   * turns bad with the reason, as Prometheus does when appending a rule's sample fails. The next
   * evaluation clears it.
   */
  void storeRefused(String message) {
    lastError = "storing the result: " + message;
  }

  @Override
  public @Nullable String lastError() {
    return lastError;
  }

  @Override
  public @Nullable Instant lastEvaluation() {
    return lastEvaluation;
  }
}
