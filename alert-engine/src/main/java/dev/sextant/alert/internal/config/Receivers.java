package dev.sextant.alert.internal.config;

import static dev.sextant.alert.internal.config.Yamls.bool;
import static dev.sextant.alert.internal.config.Yamls.keys;
import static dev.sextant.alert.internal.config.Yamls.list;
import static dev.sextant.alert.internal.config.Yamls.map;
import static dev.sextant.alert.internal.config.Yamls.opt;
import static dev.sextant.alert.internal.config.Yamls.str;

import dev.sextant.alert.internal.delivery.HttpAuth;
import dev.sextant.alert.internal.delivery.Integration;
import dev.sextant.alert.internal.delivery.PagerDutyReceiver;
import dev.sextant.alert.internal.delivery.WebhookReceiver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A receiver's integrations: {@code webhook_configs} and {@code pagerduty_configs}, any number
 * of each, with {@code send_resolved} (default true for both, as in Alertmanager) and
 * {@code http_config} authorization.
 */
final class Receivers {
  static final List<String> RECEIVER_KEYS = List.of("name", "webhook_configs", "pagerduty_configs");
  private static final List<String> WEBHOOK_KEYS =
      List.of("url", "send_resolved", "max_alerts", "http_config");
  private static final List<String> PAGERDUTY_KEYS =
      List.of("routing_key", "url", "severity", "source", "send_resolved", "http_config");
  private static final List<String> HTTP_KEYS =
      List.of("basic_auth", "authorization", "bearer_token", "bearer_token_file");

  private Receivers() {}

  static void webhooks(String name, Map<?, ?> r, String where, List<Integration> into) {
    int i = 0;
    for (Object o : list(r.get("webhook_configs"), where + ".webhook_configs")) {
      String w = where + ".webhook_configs[" + i + "]";
      Map<?, ?> m = map(o, w);
      keys(m, w, WEBHOOK_KEYS);
      String url = str(m.get("url"), w + ".url");
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException(w + ".url: " + SecretMask.SECRET
            + " (expected: an http:// or https:// URL)");
      }
      WebhookReceiver hook = new WebhookReceiver(name, url,
          Yamls.nonNegativeInt(m.get("max_alerts"), w + ".max_alerts"));
      into.add(new Integration(hook, name + "/webhook_configs[" + i + "]",
          bool(m.get("send_resolved"), true, w + ".send_resolved"),
          auth(m.get("http_config"), w + ".http_config")));
      i++;
    }
  }

  static void pagerDuty(String name, Map<?, ?> r, String where, String uiUrl,
      @Nullable String defaultUrl, List<Integration> into) {
    int i = 0;
    for (Object o : list(r.get("pagerduty_configs"), where + ".pagerduty_configs")) {
      String w = where + ".pagerduty_configs[" + i + "]";
      Map<?, ?> m = map(o, w);
      keys(m, w, PAGERDUTY_KEYS);
      String key = str(m.get("routing_key"), w + ".routing_key");
      String url = opt(m.get("url"));
      PagerDutyReceiver pd;
      try {
        pd = new PagerDutyReceiver(name, key, url == null ? defaultUrl : url,
            opt(m.get("severity")), uiUrl, opt(m.get("source")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(w + ".severity: " + e.getMessage(), e);
      }
      into.add(new Integration(pd, name + "/pagerduty_configs[" + i + "]",
          bool(m.get("send_resolved"), true, w + ".send_resolved"),
          auth(m.get("http_config"), w + ".http_config")));
      i++;
    }
  }

  /** The authorization of an {@code http_config}: at most one of its three ways. */
  static HttpAuth auth(@Nullable Object o, String where) {
    if (o == null) {
      return HttpAuth.NONE;
    }
    Map<?, ?> m = map(o, where);
    keys(m, where, HTTP_KEYS);
    int ways = (m.get("basic_auth") != null ? 1 : 0) + (m.get("authorization") != null ? 1 : 0)
        + (m.get("bearer_token") != null || m.get("bearer_token_file") != null ? 1 : 0);
    if (ways > 1) {
      throw new IllegalArgumentException(where + ": at most one of basic_auth, authorization"
          + " and bearer_token may be configured");
    }
    if (m.get("basic_auth") != null) {
      String w = where + ".basic_auth";
      Map<?, ?> b = map(m.get("basic_auth"), w);
      keys(b, w, List.of("username", "password", "password_file"));
      String[] secret = secret(b, "password", w);
      return HttpAuth.basic(str(b.get("username"), w + ".username"), secret[0], file(secret[1]));
    }
    if (m.get("authorization") != null) {
      String w = where + ".authorization";
      Map<?, ?> a = map(m.get("authorization"), w);
      keys(a, w, List.of("type", "credentials", "credentials_file"));
      String type = a.get("type") == null ? "Bearer" : str(a.get("type"), w + ".type");
      if (type.equalsIgnoreCase("basic")) {
        throw new IllegalArgumentException(w + ".type: " + type
            + " (expected: not Basic; use basic_auth)");
      }
      String[] secret = secret(a, "credentials", w);
      return HttpAuth.credentials(type, secret[0], file(secret[1]));
    }
    if (ways == 1) {
      String[] secret = secret(m, "bearer_token", where);
      return HttpAuth.credentials("Bearer", secret[0], file(secret[1]));
    }
    return HttpAuth.NONE;
  }

  /** {@code key} or {@code key_file}, exactly one: {inline, file}. */
  private static String[] secret(Map<?, ?> m, String key, String where) {
    String inline = opt(m.get(key));
    String file = opt(m.get(key + "_file"));
    if ((inline == null) == (file == null)) {
      throw new IllegalArgumentException(where + "." + key + ": exactly one of " + key + " and "
          + key + "_file must be configured");
    }
    return new String[] {inline, file};
  }

  private static @Nullable Path file(@Nullable String f) {
    return f == null ? null : Path.of(f);
  }
}
