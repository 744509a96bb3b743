package dev.sextant.alert.eval;

import dev.sextant.alert.query.Sample;
import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.internal.template.AlertTemplate;
import dev.sextant.alert.internal.template.TemplateContext;
import dev.sextant.storage.metrics.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An alerting rule and its alert instances, with Prometheus's state machine: a new result element
 * is {@link AlertState#PENDING}, {@link AlertState#FIRING} once active for {@code for}; when it
 * disappears it stays firing for {@code keep_firing_for}, then becomes inactive with a resolvedAt
 * (pending alerts just vanish). Resolved alerts are kept for 15 minutes so that their resolution
 * is re-sent.
 */
public final class AlertingRule implements Rule {
  static final Duration RESOLVED_RETENTION = Duration.ofMinutes(15);

  private final String name;
  private final String expr;
  private final Duration holdDuration;
  private final Duration keepFiringFor;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;
  // Keyed by the alert's final label set; guarded by the group's evaluation lock.
  private final Map<Labels, Alert> active = new LinkedHashMap<>();
  private volatile String lastError;
  private volatile Instant lastEvaluation;

  /**
   * A rule named {@code name} that alerts on the series {@code expr} returns, after they have been
   * returned for {@code holdDuration} ({@code for}) and for {@code keepFiringFor} after they are
   * gone. {@code labels} and {@code annotations} are templates.
   */
  public AlertingRule(String name, String expr, Duration holdDuration, Duration keepFiringFor,
      Map<String, String> labels, Map<String, String> annotations) {
    this.name = requireNonNull(name, "name");
    this.expr = requireNonNull(expr, "expr");
    this.holdDuration = requireNonNull(holdDuration, "holdDuration");
    this.keepFiringFor = requireNonNull(keepFiringFor, "keepFiringFor");
    this.labels = Map.copyOf(requireNonNull(labels, "labels"));
    this.annotations = Map.copyOf(requireNonNull(annotations, "annotations"));
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String expr() {
    return expr;
  }

  /** The rule's {@code for}: how long a series must be returned before the alert fires. */
  public Duration holdDuration() {
    return holdDuration;
  }

  /** The rule's {@code keep_firing_for}. */
  public Duration keepFiringFor() {
    return keepFiringFor;
  }

  /** The rule's labels, unexpanded. */
  public Map<String, String> labels() {
    return labels;
  }

  /** The rule's annotations, unexpanded. */
  public Map<String, String> annotations() {
    return annotations;
  }

  @Override
  public @Nullable String lastError() {
    return lastError;
  }

  @Override
  public @Nullable Instant lastEvaluation() {
    return lastEvaluation;
  }

  /** Copies of the current alerts (pending, firing and recently resolved). */
  public synchronized List<Alert> activeAlerts() {
    List<Alert> out = new ArrayList<>(active.size());
    for (Alert a : active.values()) {
      out.add(a.copy());
    }
    return out;
  }

  /** The strongest state of any alert instance, as Prometheus's rule state. */
  public synchronized AlertState state() {
    AlertState s = AlertState.INACTIVE;
    for (Alert a : active.values()) {
      if (a.state.ordinal() > s.ordinal()) {
        s = a.state;
      }
    }
    return s;
  }

  @Override
  public synchronized List<Sample> eval(EvalContext ctx) throws RuleEvaluationException {
    Instant ts = ctx.ts();
    lastEvaluation = ts;
    List<Sample> res;
    try {
      res = ctx.query().query(expr, ts);
    } catch (Exception e) {
      lastError = String.valueOf(e.getMessage());
      throw new RuleEvaluationException(lastError, e);
    }
    Map<Labels, Alert> current = new HashMap<>();
    for (Sample s : res) {
      TreeMap<String, String> sampleLabels = s.labels().toMap();
      sampleLabels.remove(Labels.NAME);
      TemplateContext tc = new TemplateContext(sampleLabels, ctx.externalLabels(),
          ctx.externalUrl(), s.value(), ctx.query(), ts);
      String tmplName = "__alert_" + name;
      TreeMap<String, String> lb = new TreeMap<>(sampleLabels);
      labels.forEach((k, v) -> lb.put(k, AlertTemplate.expand(tmplName, v, tc)));
      lb.put("alertname", name);
      Map<String, String> ann = new TreeMap<>();
      annotations.forEach((k, v) -> ann.put(k, AlertTemplate.expand(tmplName, v, tc)));
      Labels l = Labels.of(lb);
      if (current.containsKey(l)) {
        lastError = "vector contains metrics with the same labelset after applying alert labels";
        throw new RuleEvaluationException(lastError, null);
      }
      current.put(l, new Alert(l, Map.copyOf(ann), AlertState.PENDING, s.value(), ts));
    }
    for (Map.Entry<Labels, Alert> e : current.entrySet()) {
      Alert existing = active.get(e.getKey());
      if (existing != null && existing.state != AlertState.INACTIVE) {
        existing.value = e.getValue().value;
        existing.annotations = e.getValue().annotations;
        continue;
      }
      active.put(e.getKey(), e.getValue());
    }
    List<Sample> out = new ArrayList<>();
    var it = active.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Labels, Alert> e = it.next();
      Alert a = e.getValue();
      if (!current.containsKey(e.getKey())) {
        boolean keepFiring = false;
        if (a.state == AlertState.FIRING && !keepFiringFor.isZero()) {
          if (a.keepFiringSince == null) {
            a.keepFiringSince = ts;
          }
          keepFiring = Duration.between(a.keepFiringSince, ts).compareTo(keepFiringFor) < 0;
        }
        if (a.state == AlertState.PENDING || (a.resolvedAt != null
            && Duration.between(a.resolvedAt, ts).compareTo(RESOLVED_RETENTION) > 0)) {
          it.remove();
        }
        if (a.state != AlertState.INACTIVE && !keepFiring) {
          a.state = AlertState.INACTIVE;
          a.resolvedAt = ts;
        }
        if (!keepFiring) {
          continue;
        }
      } else {
        a.keepFiringSince = null;
      }
      if (a.state == AlertState.PENDING
          && Duration.between(a.activeAt, ts).compareTo(holdDuration) >= 0) {
        a.state = AlertState.FIRING;
        a.firedAt = ts;
      }
      out.add(new Sample(seriesLabels(a, "ALERTS", true), 1));
      out.add(new Sample(seriesLabels(a, "ALERTS_FOR_STATE", false),
          a.activeAt.getEpochSecond()));
    }
    int n = (int) active.values().stream().filter(a -> a.state != AlertState.INACTIVE).count();
    if (ctx.limit() > 0 && n > ctx.limit()) {
      active.clear();
      lastError = "exceeded limit of " + ctx.limit() + " with " + n + " alerts";
      throw new RuleEvaluationException(lastError, null);
    }
    lastError = null;
    return out;
  }

  private static Labels seriesLabels(Alert a, String metric, boolean withState) {
    TreeMap<String, String> m = a.labels.toMap();
    m.put(Labels.NAME, metric);
    if (withState) {
      m.put("alertstate", a.state.promName());
    }
    return Labels.of(m);
  }

  /**
   * The alerts to send after an evaluation at {@code ts}, marking them sent. Firing alerts are
   * valid for 4 × max(resendDelay, interval), so a receiver resolves them itself should the
   * evaluator die.
   */
  synchronized List<AlertEvent> alertsToSend(Instant ts, Duration resendDelay, Duration interval,
      String externalUrl) {
    List<AlertEvent> out = new ArrayList<>();
    Duration delta = interval.compareTo(resendDelay) > 0 ? interval : resendDelay;
    String gen = externalUrl + "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
        + "&g0.tab=1";
    for (Alert a : active.values()) {
      if (!a.needsSending(ts, resendDelay)) {
        continue;
      }
      a.lastSentAt = ts;
      a.validUntil = ts.plus(delta.multipliedBy(4));
      Instant endsAt = a.resolvedAt != null ? a.resolvedAt : a.validUntil;
      out.add(new AlertEvent(a.labels, a.annotations, a.activeAt, endsAt, gen));
    }
    return out;
  }

  /** Replaces the alert instances with restored ones (restart). */
  synchronized void restore(List<Alert> alerts) {
    active.clear();
    for (Alert a : alerts) {
      active.put(a.labels, a);
    }
  }

  synchronized List<Alert> snapshot() {
    return activeAlerts();
  }
}
