package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.delivery.AuditLog;
import dev.sextant.alert.eval.AlertingRule;
import dev.sextant.alert.eval.RecordingRule;
import dev.sextant.alert.eval.Rule;
import dev.sextant.alert.eval.RuleGroup;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.alert.notify.Matchers;
import dev.sextant.alert.notify.Silence;
import dev.sextant.query.Durations;
import dev.sextant.storage.metrics.LabelMatcher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /ui/alerts?group=&state=firing|pending&refresh=30s&silence=MATCHERS}: firing and pending
 * alerts with their annotations, playbook links and evidence; the rules with state, health, last
 * evaluation; silences (a form prefilled from an alert, expire buttons); and the notification
 * history from the delivery audit trail. {@code group} is the group key a notification links to
 * ({@code /alerts?group=}): the page then shows that group's alerts and deliveries only.
 */
public final class AlertsPage extends Page {
  static final int AUDIT_ROWS = 50;
  private final Supplier<AlertEngine> engines;
  private final EvidenceProvider evidence;

  /**
   * {@code engines} gives the alert engine of the request being served (called on the request's
   * blocking executor, inside its context), or null when alerting is off; it may itself be null.
   */
  public AlertsPage(Templates templates, Supplier<AlertEngine> engines,
      EvidenceProvider evidence) {
    super(templates);
    this.engines = engines;
    this.evidence = evidence;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Alerts", "alerts");
    AlertEngine engine = engines == null ? null : engines.get();
    if (engine == null) {
      scope.put("message", "Alerting is not configured on this server.");
      return templates.page(HttpStatus.OK, "placeholder", scope);
    }
    Instant now = Instant.now();
    String group = p.str("group");
    String state = p.str("state");
    if (!state.isEmpty() && !state.equals("firing") && !state.equals("pending")) {
      throw new IllegalArgumentException("state: " + state + " (expected: firing or pending)");
    }
    List<LabelMatcher> groupMatchers = group.isEmpty() ? List.of() : groupMatchers(group);
    String refresh = p.str("refresh");
    if (!refresh.isEmpty()) {
      long seconds = Durations.parse("refresh", refresh).toSeconds();
      if (seconds < 5 || seconds > 3600) {
        throw new IllegalArgumentException("refresh: " + refresh + " (expected: 5s to 1h)");
      }
      scope.put("refreshSeconds", seconds);
    }
    scope.put("refreshOff", refresh.isEmpty());
    scope.put("refresh30", refresh.equals("30s"));
    scope.put("refresh1m", refresh.equals("1m"));
    scope.put("group", group.isEmpty() ? null : Formats.url(group));
    scope.put("groupLabels", group.isEmpty() ? null : labelsOf(group));
    scope.put("stateAll", state.isEmpty());
    scope.put("stateFiring", state.equals("firing"));
    scope.put("statePending", state.equals("pending"));
    AlertRows rows = new AlertRows(engine, evidence, now);
    List<Map<String, Object>> alerts = rows.alerts(groupMatchers, state);
    scope.put("alerts", alerts);
    scope.put("noAlerts", alerts.isEmpty());
    scope.put("firingCount", rows.firing);
    scope.put("pendingCount", rows.pending);
    scope.put("silencedCount", rows.silenced);
    scope.put("groups", groups(engine, now));
    scope.put("silences", silences(engine, now, p.str("created")));
    scope.put("audit", audit(engine, group));
    scope.put("newSilence", Map.of(
        "matchers", p.str("silence"),
        "duration", p.str("duration").isEmpty() ? "2h" : p.str("duration"),
        "createdBy", p.str("createdBy"),
        "comment", p.str("comment")));
    scope.put("openForm", !p.str("silence").isEmpty() || !p.str("error").isEmpty());
    scope.put("formError", p.str("error"));
    scope.put("created", p.str("created"));
    scope.put("expired", p.str("expired"));
    return templates.page(HttpStatus.OK, "alerts", scope);
  }

  /** The labels part of a group key ({@code route:{a="b", c="d"}}) as equality matchers. */
  static List<LabelMatcher> groupMatchers(String group) {
    try {
      return Matchers.parse(labelsOf(group));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("group: " + group
          + " (expected: a group key from a notification, e.g. {}:{alertname=\"X\"})");
    }
  }

  static String labelsOf(String group) {
    int i = group.indexOf("}:{");
    return i < 0 ? group : group.substring(i + 2);
  }

  private static List<Map<String, Object>> groups(AlertEngine engine, Instant now) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RuleGroup g : engine.rules().groups()) {
      Map<String, Object> m = new HashMap<>();
      m.put("name", g.name());
      m.put("file", g.file());
      m.put("interval", Formats.duration(g.interval().toNanos()));
      m.put("lastEvaluation", ago(g.lastEvaluation(), now));
      m.put("evaluationTime", Formats.duration(g.lastDuration().toNanos()));
      List<Map<String, Object>> rules = new ArrayList<>();
      for (Rule r : g.rules()) {
        rules.add(rule(r, now));
      }
      m.put("rules", rules);
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> rule(Rule r, Instant now) {
    Map<String, Object> m = new HashMap<>();
    m.put("name", r.name());
    m.put("expr", r.expr());
    m.put("exprLink", MetricsPage.link(r.expr(), "1h", "", "", "graph"));
    String health = r.lastEvaluation() == null ? "unknown" : r.lastError() == null ? "ok" : "err";
    m.put("health", health);
    m.put("healthErr", health.equals("err"));
    m.put("lastError", r.lastError());
    m.put("lastEvaluation", ago(r.lastEvaluation(), now));
    if (r instanceof AlertingRule ar) {
      String state = ar.state().promName();
      m.put("alerting", true);
      m.put("state", state);
      m.put("stateClass", "state-" + state);
      m.put("for", ar.holdDuration().isZero() ? null
          : Formats.duration(ar.holdDuration().toNanos()));
      m.put("labels", AlertRows.chips(ar.labels()));
      String playbook = AlertRows.playbook(ar.annotations());
      m.put("playbook", playbook);
    } else if (r instanceof RecordingRule rr) {
      m.put("recording", true);
      m.put("state", "recording");
      m.put("stateClass", "state-recording");
      m.put("labels", AlertRows.chips(rr.labels()));
    }
    return m;
  }

  private static List<Map<String, Object>> silences(AlertEngine engine, Instant now,
      String created) {
    List<Silence> all = new ArrayList<>(engine.silences().list());
    // Active first, then pending, then expired; newest end first within each.
    all.sort((a, b) -> {
      int sa = rank(a.state(now));
      int sb = rank(b.state(now));
      return sa != sb ? Integer.compare(sa, sb) : b.endsAt().compareTo(a.endsAt());
    });
    List<Map<String, Object>> out = new ArrayList<>();
    for (Silence s : all) {
      String st = s.state(now);
      Map<String, Object> m = new HashMap<>();
      m.put("id", s.id());
      m.put("shortId", s.id().substring(0, Math.min(8, s.id().length())));
      m.put("state", st);
      m.put("stateClass", "silence-" + st);
      m.put("matchers", String.join(", ", s.matchers()));
      m.put("startsAt", Formats.time(s.startsAt().toEpochMilli() * 1_000_000));
      m.put("endsAt", Formats.time(s.endsAt().toEpochMilli() * 1_000_000));
      m.put("remaining", st.equals("expired") ? "ended " + ago(s.endsAt(), now)
          : "ends in " + Formats.duration(Duration.between(now, s.endsAt()).toNanos()));
      m.put("createdBy", s.createdBy());
      m.put("comment", s.comment());
      m.put("expirable", !st.equals("expired"));
      m.put("justCreated", s.id().equals(created));
      m.put("muting", st.equals("active") ? AlertRows.mutedCount(engine, s.id()) : 0);
      out.add(m);
    }
    return out;
  }

  private static int rank(String state) {
    return state.equals("active") ? 0 : state.equals("pending") ? 1 : 2;
  }

  private static List<Map<String, Object>> audit(AlertEngine engine, String group) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AuditLog.Record r : engine.audit().list(group.isEmpty() ? AUDIT_ROWS : 1000)) {
      if (!group.isEmpty() && !engine.dedupKey(r.receiver(), group)
          .equals(r.dedupKey())) {
        continue;
      }
      if (out.size() == AUDIT_ROWS) {
        break;
      }
      Map<String, Object> m = new HashMap<>();
      m.put("time", Formats.time(r.time() * 1_000_000));
      m.put("receiver", r.receiver());
      m.put("outcome", r.outcome());
      m.put("outcomeClass", "outcome-" + r.outcome());
      m.put("status", r.status() == 0 ? "-" : Integer.toString(r.status()));
      m.put("attempt", r.attempt());
      m.put("error", r.error());
      m.put("dedupKey", r.dedupKey().substring(0, Math.min(12, r.dedupKey().length())));
      out.add(m);
    }
    return out;
  }

  /** {@code 42s ago}; {@code never} for null. */
  static String ago(Instant t, Instant now) {
    if (t == null) {
      return "never";
    }
    long nanos = Duration.between(t, now).toNanos();
    return nanos < 0 ? "in " + Formats.duration(-nanos) : Formats.duration(nanos) + " ago";
  }
}
