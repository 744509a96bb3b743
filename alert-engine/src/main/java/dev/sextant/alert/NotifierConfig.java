package dev.sextant.alert;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.delivery.PagerDutyReceiver;
import dev.sextant.alert.internal.delivery.Receiver;
import dev.sextant.alert.internal.delivery.WebhookReceiver;
import dev.sextant.alert.internal.notify.InhibitRule;
import dev.sextant.alert.internal.notify.Route;
import dev.sextant.alert.internal.notify.RouteBuilder;
import dev.sextant.query.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import java.util.function.Consumer;
import org.yaml.snakeyaml.Yaml;

/**
 * The notification part of the config, in Alertmanager's YAML shape: {@code route},
 * {@code receivers} (with {@code pagerduty_configs} and {@code webhook_configs}) and
 * {@code inhibit_rules}. Matchers may be given as {@code matchers: [...]} or the older
 * {@code match}/{@code match_re} maps.
 *
 * <p>Its components are types of the engine's internals: other modules pass the config to
 * {@link AlertEngine#builder} and {@link #route()} to {@link dev.sextant.alert.backtest.Backtest},
 * and should not depend on their shape.
 */
public record NotifierConfig(Route route, List<Receiver> receivers, List<InhibitRule> inhibitRules) {

  /**
   * Parses Alertmanager-style YAML; {@code uiUrl} (the Sextant UI base URL, may be null) is
   * used for links in PagerDuty events.
   *
   * @throws IllegalArgumentException naming the field, e.g. {@code route.routes[1].group_wait: ...}
   */
  public static NotifierConfig parse(String yaml, @Nullable String uiUrl) {
    requireNonNull(yaml, "yaml");
    Object root = new Yaml().load(yaml);
    if (!(root instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("notifier config: expected a mapping with route and receivers");
    }
    return of(m, uiUrl);
  }

  /**
   * The config from its section as already read from YAML (string keys; values as a YAML reader
   * gives them: maps, lists, strings, numbers, booleans), e.g. the server config file's
   * {@code alerting.notifier}: it is read as it is, never written back to YAML and parsed again,
   * so the caller can point an error at the user's own file and line. {@code uiUrl} as in
   * {@link #parse}.
   *
   * @throws IllegalArgumentException naming the field relative to the section, e.g.
   *     {@code route.routes[1].group_wait: not a valid duration string: "5x"}
   */
  public static NotifierConfig of(Map<?, ?> section, String uiUrl) {
    requireNonNull(section, "section");
    return fromMap(section, uiUrl == null ? "" : uiUrl);
  }

  private static NotifierConfig fromMap(Map<?, ?> m, String uiUrl) {
    List<Receiver> receivers = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int ri = 0;
    for (Object o : list(m.get("receivers"), "receivers")) {
      Map<?, ?> r = map(o, "receivers[" + ri + "]");
      String name = str(r.get("name"), "receivers[" + ri + "].name");
      if (!names.add(name)) {
        throw new IllegalArgumentException("receivers[" + ri + "].name: " + name + " is defined twice");
      }
      int n = 0;
      for (Object p : list(r.get("pagerduty_configs"), "pagerduty_configs")) {
        Map<?, ?> pm = map(p, "receivers[" + ri + "].pagerduty_configs[" + n + "]");
        String key = pm.get("routing_key") == null ? null : String.valueOf(pm.get("routing_key"));
        if (key == null || key.isBlank()) {
          throw new IllegalArgumentException("receivers[" + ri + "].pagerduty_configs[" + n
              + "].routing_key: missing");
        }
        receivers.add(new PagerDutyReceiver(name, key, opt(pm.get("url")), opt(pm.get("severity")),
            uiUrl, opt(pm.get("source"))));
        n++;
      }
      for (Object w : list(r.get("webhook_configs"), "webhook_configs")) {
        Map<?, ?> wm = map(w, "receivers[" + ri + "].webhook_configs[" + n + "]");
        Object max = wm.get("max_alerts");
        receivers.add(new WebhookReceiver(name, str(wm.get("url"),
            "receivers[" + ri + "].webhook_configs[" + n + "].url"),
            max == null ? 0 : Integer.parseInt(String.valueOf(max))));
        n++;
      }
      if (n > 1) {
        throw new IllegalArgumentException("receivers[" + ri + "]: " + name + " has " + n
            + " integrations (expected: at most 1; define one receiver per integration)");
      }
      ri++;
    }
    Route route = route(map(m.get("route"), "route"), "route").build();
    check(route, names, "route");
    List<InhibitRule> inhibit = new ArrayList<>();
    int ii = 0;
    for (Object o : list(m.get("inhibit_rules"), "inhibit_rules")) {
      Map<?, ?> im = map(o, "inhibit_rules[" + ii + "]");
      List<String> src = new ArrayList<>(strings(im.get("source_matchers")));
      List<String> tgt = new ArrayList<>(strings(im.get("target_matchers")));
      src.addAll(legacy(im.get("source_match"), "="));
      src.addAll(legacy(im.get("source_match_re"), "=~"));
      tgt.addAll(legacy(im.get("target_match"), "="));
      tgt.addAll(legacy(im.get("target_match_re"), "=~"));
      try {
        inhibit.add(InhibitRule.of(src, tgt, strings(im.get("equal"))));
      } catch (IllegalArgumentException e) {
        // e.g. an invalid regular expression (not RE2, or over its limits)
        throw new IllegalArgumentException("inhibit_rules[" + ii + "]: " + e.getMessage(), e);
      }
      ii++;
    }
    return new NotifierConfig(route, List.copyOf(receivers), List.copyOf(inhibit));
  }

  private static void check(Route r, Set<String> receivers, String where) {
    if (!receivers.contains(r.receiver())) {
      throw new IllegalArgumentException(where + ".receiver: " + r.receiver()
          + " (expected: one of " + receivers + ")");
    }
    for (int i = 0; i < r.routes().size(); i++) {
      check(r.routes().get(i), receivers, where + ".routes[" + i + "]");
    }
  }

  private static RouteBuilder route(Map<?, ?> m, String where) {
    RouteBuilder b = RouteBuilder.child();
    if (m.get("receiver") != null) {
      b.receiver(String.valueOf(m.get("receiver")));
    }
    try {
      for (String s : strings(m.get("matchers"))) {
        b.matchers(s);
      }
      for (String s : legacy(m.get("match"), "=")) {
        b.matchers(s);
      }
      for (String s : legacy(m.get("match_re"), "=~")) {
        b.matchers(s);
      }
      if (m.get("group_by") != null) {
        b.groupBy(strings(m.get("group_by")).toArray(new String[0]));
      }
      b.continueMatching(Boolean.TRUE.equals(m.get("continue")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    duration(m, "group_wait", where, b::groupWait);
    duration(m, "group_interval", where, b::groupInterval);
    duration(m, "repeat_interval", where, b::repeatInterval);
    int i = 0;
    for (Object c : list(m.get("routes"), where + ".routes")) {
      b.route(route(map(c, where + ".routes[" + i + "]"), where + ".routes[" + i + "]"));
      i++;
    }
    return b;
  }

  /** Sets {@code key} of {@code m} when present; an error names {@code where.key}. */
  private static void duration(Map<?, ?> m, String key, String where,
      Consumer<Duration> setter) {
    Object v = m.get(key);
    if (v == null) {
      return;
    }
    try {
      setter.accept(Durations.parse(String.valueOf(v)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + key + ": " + e.getMessage(), e);
    }
  }

  private static List<String> legacy(Object o, String op) {
    List<String> out = new ArrayList<>();
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.add(k + op + "\"" + String.valueOf(v).replace("\"", "\\\"") + "\""));
    }
    return out;
  }

  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    } else if (o != null) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  private static Map<?, ?> map(Object o, String where) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(where + ": " + (o == null ? "missing" : "expected a mapping"));
  }

  private static List<?> list(Object o, String where) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(where + ": expected a list");
  }

  private static String str(Object o, String where) {
    if (o == null || String.valueOf(o).isBlank()) {
      throw new IllegalArgumentException(where + ": missing");
    }
    return String.valueOf(o);
  }

  private static String opt(Object o) {
    return o == null ? null : String.valueOf(o);
  }
}
