package dev.sextant.alert.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.alert.delivery.AuditLog;
import dev.sextant.alert.eval.Alert;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.eval.AlertingRule;
import dev.sextant.alert.eval.RecordingRule;
import dev.sextant.alert.eval.Rule;
import dev.sextant.alert.eval.RuleGroup;
import dev.sextant.alert.notify.Matchers;
import dev.sextant.alert.notify.Silence;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * JSON bodies for the HTTP APIs, in Prometheus's shapes ({@code /api/v1/rules},
 * {@code /api/v1/alerts}) and Alertmanager v2's ({@code /api/v2/silences}), plus the delivery
 * audit trail. The server mounts them; this class does no HTTP.
 */
public final class AlertApiJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertApiJson() {}

  private static ObjectNode success(JsonNode data) {
    ObjectNode root = JSON.createObjectNode();
    root.put("status", "success");
    root.set("data", data);
    return root;
  }

  /** {@code /api/v1/rules}; {@code type} filters "alert" or "record" (null for all). */
  public static ObjectNode rules(List<RuleGroup> groups, @Nullable String type) {
    ObjectNode data = JSON.createObjectNode();
    ArrayNode gs = data.putArray("groups");
    for (RuleGroup g : groups) {
      ObjectNode go = gs.addObject();
      go.put("name", g.name());
      go.put("file", g.file());
      ArrayNode rs = go.putArray("rules");
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar && !"record".equals(type)) {
          ObjectNode o = rs.addObject();
          o.put("state", ar.state().promName());
          o.put("name", ar.name());
          o.put("query", ar.expr());
          o.put("duration", ar.holdDuration().toMillis() / 1000.0);
          o.put("keepFiringFor", ar.keepFiringFor().toMillis() / 1000.0);
          o.set("labels", tree(new TreeMap<>(ar.labels())));
          o.set("annotations", tree(new TreeMap<>(ar.annotations())));
          ArrayNode as = o.putArray("alerts");
          for (Alert a : ar.activeAlerts()) {
            if (a.state() != AlertState.INACTIVE) {
              as.add(alert(a));
            }
          }
          health(o, r);
          o.put("type", "alerting");
        } else if (r instanceof RecordingRule rr && !"alert".equals(type)) {
          ObjectNode o = rs.addObject();
          o.put("name", rr.name());
          o.put("query", rr.expr());
          o.set("labels", tree(new TreeMap<>(rr.labels())));
          health(o, r);
          o.put("type", "recording");
        }
      }
      go.put("interval", g.interval().toMillis() / 1000.0);
      go.put("limit", g.limit());
      go.put("evaluationTime", g.lastDuration().toNanos() / 1e9);
      go.put("lastEvaluation", time(g.lastEvaluation()));
    }
    return success(data);
  }

  private static void health(ObjectNode o, Rule r) {
    o.put("health", r.lastEvaluation() == null ? "unknown" : r.lastError() == null ? "ok" : "err");
    if (r.lastError() != null) {
      o.put("lastError", r.lastError());
    }
    o.put("lastEvaluation", time(r.lastEvaluation()));
  }

  /** {@code /api/v1/alerts}: pending and firing alerts. */
  public static ObjectNode alerts(List<Alert> alerts) {
    ObjectNode data = JSON.createObjectNode();
    ArrayNode as = data.putArray("alerts");
    for (Alert a : alerts) {
      if (a.state() != AlertState.INACTIVE) {
        as.add(alert(a));
      }
    }
    return success(data);
  }

  private static ObjectNode alert(Alert a) {
    ObjectNode o = JSON.createObjectNode();
    o.set("labels", tree(a.labels().toMap()));
    o.set("annotations", tree(new TreeMap<>(a.annotations())));
    o.put("state", a.state().promName());
    o.put("activeAt", time(a.activeAt()));
    if (a.keepFiringSince() != null) {
      o.put("keepFiringSince", time(a.keepFiringSince()));
    }
    o.put("value", formatValue(a.value()));
    return o;
  }

  /** Go's {@code strconv.FormatFloat(v, 'e', -1, 64)}, as Prometheus prints alert values. */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == 0) {
      return "0e+00";
    }
    BigDecimal b = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
    String digits = b.unscaledValue().toString();
    int exp = digits.length() - b.scale() - 1;
    StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
    sb.append(digits.charAt(0));
    if (digits.length() > 1) {
      sb.append('.').append(digits, 1, digits.length());
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    if (Math.abs(exp) < 10) {
      sb.append('0');
    }
    return sb.append(Math.abs(exp)).toString();
  }

  /** Alertmanager v2 {@code GET /api/v2/silences} body (an array of gettableSilences). */
  public static ArrayNode silences(List<Silence> silences, Instant now) {
    ArrayNode out = JSON.createArrayNode();
    for (Silence s : silences) {
      out.add(silence(s, now));
    }
    return out;
  }

  /**
   * One gettableSilence, as {@code GET /api/v2/silence/{id}} answers. {@code updatedAt} is the
   * start, or the end once expired: Sextant keeps no edit time.
   */
  public static ObjectNode silence(Silence s, Instant now) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", s.id());
    ArrayNode ms = o.putArray("matchers");
    for (var m : Matchers.parseAll(s.matchers())) {
      ObjectNode mo = ms.addObject();
      mo.put("name", m.name());
      mo.put("value", m.value());
      mo.put("isRegex", m.type().op().contains("~"));
      mo.put("isEqual", !m.type().op().startsWith("!"));
    }
    o.put("startsAt", s.startsAt().toString());
    o.put("endsAt", s.endsAt().toString());
    o.put("updatedAt", (now.isBefore(s.endsAt()) ? s.startsAt() : s.endsAt()).toString());
    o.put("createdBy", s.createdBy());
    o.put("comment", s.comment());
    o.putObject("status").put("state", s.state(now));
    return o;
  }

  /**
   * Parses an Alertmanager v2 {@code POST /api/v2/silences} body.
   *
   * @throws IllegalArgumentException naming the missing or bad field
   */
  public static Silence parseSilence(String body) {
    JsonNode j;
    try {
      j = JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalArgumentException("silence: invalid JSON: " + e.getMessage());
    }
    if (j == null || !j.isObject()) {
      throw new IllegalArgumentException("silence: expected a JSON object");
    }
    List<String> matchers = new ArrayList<>();
    JsonNode ms = j.path("matchers");
    if (!ms.isArray() || ms.isEmpty()) {
      throw new IllegalArgumentException("matchers: missing (expected: at least one matcher)");
    }
    for (JsonNode m : ms) {
      String name = m.path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("matchers[].name: missing");
      }
      boolean re = m.path("isRegex").asBoolean(false);
      boolean eq = m.path("isEqual").asBoolean(true);
      String op = re ? (eq ? "=~" : "!~") : (eq ? "=" : "!=");
      String v = m.path("value").asText("").replace("\\", "\\\\").replace("\"", "\\\"");
      matchers.add(name + op + "\"" + v + "\"");
    }
    Instant start = instant(j, "startsAt");
    Instant end = instant(j, "endsAt");
    return new Silence(j.path("id").asText(""), matchers, start, end, j.path("createdBy").asText(""),
        j.path("comment").asText(""));
  }

  private static Instant instant(JsonNode j, String field) {
    String s = j.path(field).asText("");
    try {
      return Instant.parse(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(field + ": \"" + s + "\" (expected: an RFC 3339 time)");
    }
  }

  /** The delivery audit trail, newest first. */
  public static ObjectNode audit(List<AuditLog.Record> records) {
    ArrayNode arr = JSON.createArrayNode();
    for (AuditLog.Record r : records) {
      ObjectNode o = arr.addObject();
      o.put("time", Instant.ofEpochMilli(r.time()).toString());
      o.put("receiver", r.receiver());
      o.put("dedupKey", r.dedupKey());
      o.put("outboxId", r.outboxId());
      o.put("attempt", r.attempt());
      o.put("status", r.status());
      o.put("outcome", r.outcome());
      if (r.error() != null) {
        o.put("error", r.error());
      }
    }
    return success(arr);
  }

  private static JsonNode tree(Object o) {
    return JSON.valueToTree(o);
  }

  private static String time(Instant t) {
    return t == null ? "0001-01-01T00:00:00Z" : t.toString();
  }
}
