package dev.sextant.alert.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.internal.notify.Dispatcher.AlertView;
import dev.sextant.alert.internal.notify.Dispatcher.GroupView;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

/**
 * Alertmanager v2's response shapes (its {@code api/v2/openapi.yaml}): gettableAlerts,
 * alertGroups, alertmanagerStatus and receivers, as {@code amtool} and Grafana read them.
 */
public final class AlertmanagerJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertmanagerJson() {}

  /** {@code GET /api/v2/alerts}: a list of gettableAlerts. */
  public static ArrayNode alerts(List<AlertView> alerts, Instant now) {
    ArrayNode out = JSON.createArrayNode();
    alerts.forEach(a -> out.add(alert(a, now)));
    return out;
  }

  static ObjectNode alert(AlertView v, Instant now) {
    AlertEvent a = v.alert();
    ObjectNode o = JSON.createObjectNode();
    o.set("annotations", JSON.valueToTree(new TreeMap<>(a.annotations())));
    o.set("labels", JSON.valueToTree(a.labels().toMap()));
    o.put("startsAt", a.startsAt().toString());
    o.put("endsAt", a.endsAt().toString());
    o.put("updatedAt", now.toString());
    o.put("generatorURL", a.generatorUrl());
    o.put("fingerprint", v.fingerprint());
    ArrayNode rs = o.putArray("receivers");
    v.receivers().forEach(r -> rs.addObject().put("name", r));
    ObjectNode st = o.putObject("status");
    boolean suppressed = !v.silencedBy().isEmpty() || !v.inhibitedBy().isEmpty();
    st.put("state", suppressed ? "suppressed" : "active");
    ArrayNode sb = st.putArray("silencedBy");
    v.silencedBy().forEach(sb::add);
    ArrayNode ib = st.putArray("inhibitedBy");
    v.inhibitedBy().forEach(ib::add);
    st.putArray("mutedBy");
    return o;
  }

  /** {@code GET /api/v2/alerts/groups}: a list of alertGroups. */
  public static ArrayNode groups(List<GroupView> groups, Instant now) {
    ArrayNode out = JSON.createArrayNode();
    for (GroupView g : groups) {
      ObjectNode o = out.addObject();
      o.set("labels", JSON.valueToTree(g.groupLabels().toMap()));
      o.putObject("receiver").put("name", g.receiver());
      ArrayNode as = o.putArray("alerts");
      g.alerts().forEach(a -> as.add(alert(a, now)));
    }
    return out;
  }

  /**
   * {@code GET /api/v2/status}: no cluster ("disabled": one Sextant is one Alertmanager),
   * version, the loaded config with its secrets masked, and the time it started.
   */
  public static ObjectNode status(String maskedConfig, Instant startedAt, String version) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode cluster = o.putObject("cluster");
    cluster.put("status", "disabled");
    cluster.putArray("peers");
    ObjectNode v = o.putObject("versionInfo");
    v.put("version", version);
    v.put("revision", "");
    v.put("branch", "");
    v.put("buildUser", "");
    v.put("buildDate", "");
    v.put("goVersion", "java" + Runtime.version().feature() + " (Sextant)");
    o.putObject("config").put("original", maskedConfig);
    o.put("uptime", startedAt.toString());
    return o;
  }

  /** {@code GET /api/v2/receivers}: a list of {@code {name}}. */
  public static ArrayNode receivers(List<String> names) {
    ArrayNode out = JSON.createArrayNode();
    names.forEach(n -> out.addObject().put("name", n));
    return out;
  }
}
