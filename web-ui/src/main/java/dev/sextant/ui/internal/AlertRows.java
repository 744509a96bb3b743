package dev.sextant.ui.internal;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.eval.Alert;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.eval.AlertingRule;
import dev.sextant.alert.eval.Rule;
import dev.sextant.alert.eval.RuleGroup;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.alert.notify.Matchers;
import dev.sextant.storage.metrics.LabelMatcher;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The firing and pending alerts of every alerting rule, as the alerts page shows them. */
final class AlertRows {
  /** Evidence is looked up for this many firing alerts at most (each is a few searches). */
  static final int MAX_EVIDENCE = 20;
  private static final List<String> PLAYBOOK_KEYS = List.of("playbook", "runbook_url", "runbook");

  private final AlertEngine engine;
  private final EvidenceProvider evidence;
  private final Instant now;
  int firing;
  int pending;
  int silenced;
  private int evidenceLookups;

  AlertRows(AlertEngine engine, EvidenceProvider evidence, Instant now) {
    this.engine = engine;
    this.evidence = evidence;
    this.now = now;
  }

  /** Firing alerts first, then pending; each filtered by {@code group} and {@code state}. */
  List<Map<String, Object>> alerts(List<LabelMatcher> group, String state) {
    List<Map<String, Object>> firingRows = new ArrayList<>();
    List<Map<String, Object>> pendingRows = new ArrayList<>();
    for (RuleGroup g : engine.rules().groups()) {
      for (Rule r : g.rules()) {
        if (!(r instanceof AlertingRule ar)) {
          continue;
        }
        for (Alert a : ar.activeAlerts()) {
          if (a.state() == AlertState.INACTIVE || !Matchers.matches(group, a.labels())) {
            continue;
          }
          boolean isFiring = a.state() == AlertState.FIRING;
          if (isFiring) {
            firing++;
          } else {
            pending++;
          }
          if (!state.isEmpty() && !state.equals(a.state().promName())) {
            continue;
          }
          (isFiring ? firingRows : pendingRows).add(row(ar, a));
        }
      }
    }
    firingRows.addAll(pendingRows);
    return firingRows;
  }

  private Map<String, Object> row(AlertingRule rule, Alert a) {
    Map<String, Object> m = new HashMap<>();
    TreeMap<String, String> labels = a.labels().toMap();
    String state = a.state().promName();
    m.put("name", labels.getOrDefault("alertname", rule.name()));
    m.put("state", state);
    m.put("stateClass", "state-" + state);
    m.put("firing", a.state() == AlertState.FIRING);
    Map<String, String> shown = new TreeMap<>(labels);
    shown.remove("alertname");
    m.put("labels", chips(shown));
    m.put("value", Formats.significant(a.value()));
    m.put("activeAt", Formats.time(a.activeAt().toEpochMilli() * 1_000_000));
    m.put("activeFor", AlertsPage.ago(a.activeAt(), now).replace(" ago", ""));
    Map<String, String> ann = new TreeMap<>(a.annotations());
    m.put("summary", ann.remove("summary"));
    m.put("description", ann.remove("description"));
    String playbook = playbook(ann);
    m.put("playbook", playbook);
    PLAYBOOK_KEYS.forEach(ann::remove);
    m.put("annotations", chips(ann));
    m.put("exprLink", MetricsPage.link(rule.expr(), "1h", "", "", "graph"));
    m.put("silenceLink", "/ui/alerts?silence=" + Formats.url(matchers(labels)) + "#new-silence");
    List<String> mutedBy = engine.silences().mutedBy(a.labels());
    if (!mutedBy.isEmpty()) {
      silenced++;
      m.put("silencedBy", mutedBy.get(0).substring(0, Math.min(8, mutedBy.get(0).length())));
    }
    if (a.state() == AlertState.FIRING) {
      evidence(m, a);
    }
    String service = first(labels, "service", "service_name", "job");
    if (!service.isEmpty()) {
      m.put("serviceLink", "/ui/services/" + Formats.url(service.substring(
          service.indexOf('/') + 1)).replace("+", "%20"));
    }
    return m;
  }

  private void evidence(Map<String, Object> m, Alert a) {
    if (evidence == null || evidenceLookups++ >= MAX_EVIDENCE) {
      return;
    }
    Evidence e;
    try {
      e = evidence.find(a.labels(), a.activeAt(), now);
    } catch (RuntimeException ex) {
      return; // evidence is a help, never a reason for the page to fail
    }
    List<Map<String, Object>> traces = new ArrayList<>();
    for (Evidence.Link l : e.traces()) {
      traces.add(Map.of("href", Formats.safeHref(local(l.href())), "text", l.text()));
    }
    List<Map<String, Object>> logs = new ArrayList<>();
    for (Evidence.LogLine l : e.logs()) {
      logs.add(Map.of("message", l.message(), "count", l.count(), "service", l.service(),
          "logsLink", "/ui/logs?service=" + Formats.url(l.service()) + "&severity=17"));
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    for (Evidence.Finding f : e.findings()) {
      findings.add(Map.of("href", Formats.safeHref(local(f.href())), "text", f.text()));
    }
    m.put("evidenceFindings", findings);
    m.put("evidenceTraces", traces);
    m.put("evidenceLogs", logs);
    m.put("hasEvidenceTraces", !traces.isEmpty());
    m.put("hasEvidence", !e.isEmpty());
  }

  /** A link into this UI made relative, so it works whatever host name the browser used. */
  static String local(String href) {
    try {
      URI u = URI.create(href);
      if (u.getRawPath() != null && u.getRawPath().startsWith("/ui/")) {
        return u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
      }
    } catch (IllegalArgumentException notAUri) {
      // shown as given
    }
    return href;
  }

  /** Alertmanager matchers selecting exactly this label set: {@code a="x", b="y"}. */
  static String matchers(Map<String, String> labels) {
    StringBuilder sb = new StringBuilder();
    labels.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append("=\"")
        .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
    return sb.toString();
  }

  static List<Map<String, Object>> chips(Map<String, String> labels) {
    List<Map<String, Object>> out = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> out.add(Map.of("k", k, "v", v)));
    return out;
  }

  static String playbook(Map<String, String> annotations) {
    for (String k : PLAYBOOK_KEYS) {
      String v = annotations.get(k);
      if (v != null && !v.isBlank()) {
        return Formats.safeHref(v.trim());
      }
    }
    return null;
  }

  /** How many firing or pending alerts silence {@code id} mutes now. */
  static int mutedCount(AlertEngine engine, String id) {
    int n = 0;
    for (Alert a : engine.rules().alerts()) {
      if (a.state() != AlertState.INACTIVE && engine.silences().mutedBy(a.labels()).contains(id)) {
        n++;
      }
    }
    return n;
  }

  private static String first(Map<String, String> labels, String... names) {
    for (String n : names) {
      String v = labels.get(n);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return "";
  }
}
