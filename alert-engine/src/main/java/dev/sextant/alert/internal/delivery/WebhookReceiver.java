package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.notify.Notification.NotifiedAlert;
import java.util.TreeMap;

/**
 * A generic webhook receiving Alertmanager's version-4 JSON ({@code receiver}, {@code status},
 * {@code alerts}, {@code groupLabels}, {@code commonLabels}, {@code commonAnnotations},
 * {@code externalURL}, {@code version}, {@code groupKey}, {@code truncatedAlerts}).
 */
public final class WebhookReceiver implements Receiver {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final String name;
  private final String url;
  private final int maxAlerts;
  private final String tenant;
  private final boolean scopeKeys;

  /** {@code maxAlerts} 0 means all alerts. */
  public WebhookReceiver(String name, String url, int maxAlerts) {
    this.name = requireNonNull(name, "name");
    this.url = requireNonNull(url, "url");
    if (maxAlerts < 0) {
      throw new IllegalArgumentException("maxAlerts: " + maxAlerts + " (expected: >= 0)");
    }
    this.maxAlerts = maxAlerts;
    this.tenant = null;
    this.scopeKeys = false;
  }

  private WebhookReceiver(WebhookReceiver r, String tenant, boolean scopeKeys) {
    this.name = r.name;
    this.url = r.url;
    this.maxAlerts = r.maxAlerts;
    this.tenant = requireNonNull(tenant, "tenant");
    this.scopeKeys = scopeKeys;
  }

  /** Bodies of {@code tenant} carry a top-level {@code tenant} field (not Alertmanager's). */
  @Override
  public WebhookReceiver forTenant(String tenant, boolean scopeKeys) {
    return new WebhookReceiver(this, tenant, scopeKeys);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Delivery render(Notification n) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "4");
    root.put("groupKey", n.groupKey());
    int total = n.alerts().size();
    int shown = maxAlerts == 0 ? total : Math.min(total, maxAlerts);
    root.put("truncatedAlerts", total - shown);
    root.put("status", n.status());
    root.put("receiver", n.receiver());
    root.putPOJO("groupLabels", n.groupLabels().toMap());
    root.putPOJO("commonLabels", new TreeMap<>(n.commonLabels()));
    root.putPOJO("commonAnnotations", new TreeMap<>(n.commonAnnotations()));
    root.put("externalURL", n.externalUrl());
    if (tenant != null) {
      root.put("tenant", tenant); // not Alertmanager's; consumers ignore unknown fields
    }
    if (!n.evidence().isEmpty()) {
      // Not part of Alertmanager's schema; consumers ignore unknown fields.
      ObjectNode ev = root.putObject("evidence");
      ArrayNode tr = ev.putArray("traces");
      n.evidence().traces().forEach(t -> tr.addObject().put("href", t.href()).put("text", t.text()));
      ArrayNode lg = ev.putArray("errorLogs");
      n.evidence().logs().forEach(l -> lg.addObject().put("message", l.message())
          .put("count", l.count()).put("service", l.service()).put("severity", l.severity()));
      ArrayNode fi = ev.putArray("findings");
      n.evidence().findings().forEach(f -> fi.addObject().put("text", f.text()).put("href", f.href()));
    }
    ArrayNode alerts = root.putArray("alerts");
    for (NotifiedAlert a : n.alerts().subList(0, shown)) {
      ObjectNode o = alerts.addObject();
      o.put("status", a.status());
      o.putPOJO("labels", a.labels().toMap());
      o.putPOJO("annotations", new TreeMap<>(a.annotations()));
      o.put("startsAt", a.startsAt().toString());
      o.put("endsAt", a.endsAt() == null ? ZERO_TIME : a.endsAt().toString());
      o.put("generatorURL", a.generatorUrl());
      o.put("fingerprint", a.fingerprint());
    }
    return new Delivery(name, url, PagerDutyReceiver.dedupKey(scopeKeys ? tenant : null,
        name, n.groupKey()), root.toString());
  }
}
