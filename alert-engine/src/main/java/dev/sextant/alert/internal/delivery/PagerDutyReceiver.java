package dev.sextant.alert.internal.delivery;

import java.net.URLEncoder;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.notify.Notification.NotifiedAlert;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * PagerDuty Events API v2. One incident per alert group: {@code dedup_key} is a hash of the
 * receiver and group key, so the trigger and the resolve hit the same incident. Summary is capped
 * at 1024 characters, the body kept under 512 KB (custom details shrink first).
 */
public final class PagerDutyReceiver implements Receiver {
  /** PagerDuty's public endpoint. */
  public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";
  static final int MAX_SUMMARY = 1024;
  static final int MAX_BODY = 512 * 1024;
  private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final String routingKey;
  private final String url;
  private final String defaultSeverity;
  private final String uiUrl;
  private final String source;
  private final String tenant;
  private final boolean scopeKeys;

  /**
   * @param uiUrl the Sextant UI base URL, for the link to the alert (may be "")
   * @param source PagerDuty's {@code payload.source} when the alert has no instance/job label
   */
  public PagerDutyReceiver(String name, String routingKey, String url, String defaultSeverity,
      String uiUrl, String source) {
    this.name = requireNonNull(name, "name");
    this.routingKey = requireNonNull(routingKey, "routingKey");
    if (routingKey.isBlank()) {
      throw new IllegalArgumentException("routingKey: empty (expected: a PagerDuty integration key)");
    }
    this.url = url == null || url.isBlank() ? DEFAULT_URL : url;
    this.defaultSeverity = defaultSeverity == null ? "error" : defaultSeverity;
    if (!SEVERITIES.contains(this.defaultSeverity)) {
      throw new IllegalArgumentException("defaultSeverity: " + defaultSeverity
          + " (expected: one of " + SEVERITIES + ")");
    }
    this.uiUrl = uiUrl == null ? "" : uiUrl.replaceAll("/+$", "");
    this.source = source == null || source.isBlank() ? "sextant" : source;
    this.tenant = null;
    this.scopeKeys = false;
  }

  private PagerDutyReceiver(PagerDutyReceiver r, String tenant, boolean scopeKeys) {
    this.name = r.name;
    this.routingKey = r.routingKey;
    this.url = r.url;
    this.defaultSeverity = r.defaultSeverity;
    this.uiUrl = r.uiUrl;
    this.source = r.source;
    this.tenant = requireNonNull(tenant, "tenant");
    this.scopeKeys = scopeKeys;
  }

  /**
   * Pages of {@code tenant}: {@code custom_details.tenant} names it; when {@code scopeKeys}, the
   * summary starts with {@code [tenant]} and the dedup key includes the tenant.
   */
  @Override
  public PagerDutyReceiver forTenant(String tenant, boolean scopeKeys) {
    return new PagerDutyReceiver(this, tenant, scopeKeys);
  }

  @Override
  public String name() {
    return name;
  }

  /** Stable per receiver and alert group. */
  public static String dedupKey(String receiver, String groupKey) {
    return dedupKey(null, receiver, groupKey);
  }

  /**
   * Stable per tenant, receiver and alert group; a null {@code tenant} gives the key of
   * {@link #dedupKey(String, String)}. Names cannot hold NUL, so keys of different tenants
   * never collide (short of SHA-256 collisions).
   */
  public static String dedupKey(String tenant, String receiver, String groupKey) {
    String in = (tenant == null ? "" : tenant + "\u0000") + receiver + "\u0000" + groupKey;
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(in.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Delivery render(Notification n) {
    String dedup = dedupKey(scopeKeys ? tenant : null, name, n.groupKey());
    boolean trigger = n.status().equals("firing");
    ObjectNode root = JSON.createObjectNode();
    root.put("routing_key", routingKey);
    root.put("event_action", trigger ? "trigger" : "resolve");
    root.put("dedup_key", dedup);
    if (trigger) {
      Map<String, String> cl = n.commonLabels();
      Map<String, String> ca = n.commonAnnotations();
      ObjectNode p = root.putObject("payload");
      p.put("summary", truncate(summary(n), MAX_SUMMARY));
      n.alerts().stream().map(NotifiedAlert::startsAt).min(Comparator.naturalOrder())
          .ifPresent(t -> p.put("timestamp", t.toString()));
      p.put("source", firstNonEmpty(cl.get("instance"), cl.get("job"), cl.get("service"), source));
      String sev = cl.getOrDefault("severity", "").toLowerCase(Locale.ROOT);
      p.put("severity", SEVERITIES.contains(sev) ? sev : mapSeverity(sev));
      putIf(p, "component", firstNonEmpty(cl.get("component"), cl.get("service"), cl.get("job"), null));
      putIf(p, "group", firstNonEmpty(cl.get("group"), cl.get("team"), null, null));
      putIf(p, "class", firstNonEmpty(cl.get("class"), cl.get("alertname"), null, null));
      ObjectNode details = p.putObject("custom_details");
      if (tenant != null) {
        details.put("tenant", tenant);
      }
      details.put("firing", n.firing().size());
      details.put("resolved", n.resolved().size());
      ArrayNode alerts = details.putArray("alerts");
      for (NotifiedAlert a : n.alerts()) {
        ObjectNode o = alerts.addObject();
        o.put("status", a.status());
        o.putPOJO("labels", a.labels().toMap());
        o.putPOJO("annotations", new TreeMap<>(a.annotations()));
        o.put("startsAt", a.startsAt().toString());
      }
      if (!n.evidence().isEmpty()) {
        ObjectNode ev = details.putObject("evidence");
        ArrayNode tr = ev.putArray("traces");
        n.evidence().traces().forEach(t -> tr.addObject().put("href", t.href()).put("text", t.text()));
        ArrayNode lg = ev.putArray("error_logs");
        n.evidence().logs().forEach(l -> lg.addObject().put("message", truncate(l.message(), 1024))
            .put("count", l.count()).put("service", l.service()).put("severity", l.severity()));
        ArrayNode fi = ev.putArray("findings");
        n.evidence().findings().forEach(f -> fi.add(truncate(f.text(), 1024)));
      }
      ArrayNode links = root.putArray("links");
      for (String k : new String[] {"playbook", "runbook_url", "runbook"}) {
        String v = ca.get(k);
        if (v == null && !n.alerts().isEmpty()) {
          v = n.alerts().get(0).annotations().get(k);
        }
        if (v != null && !v.isBlank()) {
          links.addObject().put("href", v).put("text", k.equals("playbook") ? "Playbook" : "Runbook");
          break;
        }
      }
      if (!uiUrl.isEmpty()) {
        links.addObject().put("href", uiUrl + "/alerts?group="
            + URLEncoder.encode(n.groupKey(), StandardCharsets.UTF_8))
            .put("text", "Alert in Sextant");
      }
      if (!n.alerts().isEmpty() && !n.alerts().get(0).generatorUrl().isEmpty()) {
        links.addObject().put("href", n.alerts().get(0).generatorUrl()).put("text", "Query");
      }
      for (var f : n.evidence().findings()) {
        links.addObject().put("href", f.href()).put("text", truncate(f.text(), 200));
      }
      for (var t : n.evidence().traces()) {
        links.addObject().put("href", t.href()).put("text", "Trace: " + truncate(t.text(), 200));
      }
      root.put("client", "Sextant");
      if (!uiUrl.isEmpty()) {
        root.put("client_url", uiUrl + "/alerts");
      }
      String body = root.toString();
      // Shrink the details (never the summary or links) until the event fits.
      int len;
      while ((len = body.getBytes(StandardCharsets.UTF_8).length) >= MAX_BODY && alerts.size() > 1) {
        // Cut proportionally to the overshoot rather than one alert per re-serialization.
        int keep = (int) Math.max(1, Math.min(alerts.size() - 1,
            (long) alerts.size() * (MAX_BODY * 9L / 10) / len));
        while (alerts.size() > keep) {
          alerts.remove(alerts.size() - 1);
        }
        details.put("truncated_alerts", n.alerts().size() - alerts.size());
        body = root.toString();
      }
      if (body.getBytes(StandardCharsets.UTF_8).length >= MAX_BODY) {
        p.remove("custom_details");
        p.putObject("custom_details").put("note", "details omitted: event over 512 KB");
        body = root.toString();
      }
      return new Delivery(name, url, dedup, body);
    }
    return new Delivery(name, url, dedup, root.toString());
  }

  private String summary(Notification n) {
    Map<String, String> ca = n.commonAnnotations();
    String s = ca.get("summary");
    if (s == null && !n.firing().isEmpty()) {
      s = n.firing().get(0).annotations().get("summary");
    }
    String name = n.commonLabels().getOrDefault("alertname", "alerts");
    String base = s == null || s.isBlank() ? name : name + ": " + s;
    String s2 = n.firing().size() > 1 ? "[" + n.firing().size() + "] " + base : base;
    return scopeKeys ? "[" + tenant + "] " + s2 : s2;
  }

  private String mapSeverity(String sev) {
    return switch (sev) {
      case "page", "fatal", "emergency", "alert" -> "critical";
      case "warn" -> "warning";
      case "informational", "notice", "none" -> "info";
      default -> defaultSeverity;
    };
  }

  static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    return s.substring(0, max - 1) + "…";
  }

  private static String firstNonEmpty(String a, String b, String c, String d) {
    for (String s : new String[] {a, b, c, d}) {
      if (s != null && !s.isEmpty()) {
        return s;
      }
    }
    return null;
  }

  private static void putIf(ObjectNode o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }
}
