package dev.sextant.alert.internal.config;

import static dev.sextant.alert.internal.config.Yamls.keys;
import static dev.sextant.alert.internal.config.Yamls.legacy;
import static dev.sextant.alert.internal.config.Yamls.list;
import static dev.sextant.alert.internal.config.Yamls.map;
import static dev.sextant.alert.internal.config.Yamls.str;
import static dev.sextant.alert.internal.config.Yamls.strings;

import dev.sextant.alert.internal.delivery.Integration;
import dev.sextant.alert.internal.notify.InhibitRule;
import dev.sextant.alert.internal.notify.Route;
import dev.sextant.alert.internal.notify.RouteBuilder;
import dev.sextant.alert.internal.notify.TimeInterval;
import dev.sextant.query.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads Alertmanager's config shape. Every key is either supported or refused with its path
 * ({@code receivers[0].slack_configs: not supported (supported: ...)}), so a pasted
 * {@code alertmanager.yml} never loses a setting silently.
 */
public final class NotifierYaml {
  private static final List<String> ROOT_KEYS = List.of("global", "route", "receivers",
      "inhibit_rules", "time_intervals", "mute_time_intervals");
  private static final List<String> GLOBAL_KEYS = List.of("resolve_timeout", "pagerduty_url");
  private static final List<String> ROUTE_KEYS = List.of("receiver", "group_by", "group_wait",
      "group_interval", "repeat_interval", "matchers", "match", "match_re", "continue", "routes",
      "mute_time_intervals", "active_time_intervals");
  private static final List<String> INHIBIT_KEYS = List.of("source_matchers", "target_matchers",
      "source_match", "source_match_re", "target_match", "target_match_re", "equal");
  /** Alertmanager's default {@code global.resolve_timeout}. */
  private static final Duration RESOLVE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * The config read.
   *
   * @param receivers every integration of every receiver
   * @param receiverNames every receiver, integrations or not, in config order
   * @param resolveTimeout how long a posted alert without {@code endsAt} fires
   * @param original the section as YAML with its secrets masked
   */
  public record Parsed(Route route, List<Integration> receivers, List<String> receiverNames,
      List<InhibitRule> inhibitRules, Duration resolveTimeout, String original) {}

  private NotifierYaml() {}

  /**
   * Reads {@code m}; errors name the key's path relative to it.
   *
   * @throws IllegalArgumentException e.g. {@code route.routes[1].group_wait: ...}
   */
  public static Parsed read(Map<?, ?> m, String uiUrl) {
    keys(m, "", ROOT_KEYS);
    Duration resolveTimeout = RESOLVE_TIMEOUT;
    String pagerDutyUrl = null;
    if (m.get("global") != null) {
      Map<?, ?> g = map(m.get("global"), "global");
      keys(g, "global", GLOBAL_KEYS);
      if (g.get("resolve_timeout") != null) {
        resolveTimeout = duration(g.get("resolve_timeout"), "global.resolve_timeout");
        if (resolveTimeout.isZero()) {
          throw new IllegalArgumentException("global.resolve_timeout: 0s (expected: > 0)");
        }
      }
      pagerDutyUrl = Yamls.opt(g.get("pagerduty_url"));
    }
    Map<String, List<TimeInterval>> intervals = TimeIntervals.newMap();
    TimeIntervals.named(m.get("time_intervals"), "time_intervals", intervals);
    TimeIntervals.named(m.get("mute_time_intervals"), "mute_time_intervals", intervals);

    List<Integration> receivers = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    int ri = 0;
    for (Object o : list(m.get("receivers"), "receivers")) {
      String w = "receivers[" + ri++ + "]";
      Map<?, ?> r = map(o, w);
      keys(r, w, Receivers.RECEIVER_KEYS);
      String name = str(r.get("name"), w + ".name");
      if (!names.add(name)) {
        throw new IllegalArgumentException(w + ".name: " + name + " is defined twice");
      }
      Receivers.pagerDuty(name, r, w, uiUrl, pagerDutyUrl, receivers);
      Receivers.webhooks(name, r, w, receivers);
    }
    RouteBuilder rb = route(map(m.get("route"), "route"), "route", intervals);
    Route route;
    try {
      route = rb.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("route." + e.getMessage(), e);
    }
    check(route, names, "route");
    return new Parsed(route, List.copyOf(receivers), List.copyOf(names), inhibitRules(m),
        resolveTimeout, SecretMask.yaml(m));
  }

  private static List<InhibitRule> inhibitRules(Map<?, ?> m) {
    List<InhibitRule> inhibit = new ArrayList<>();
    int ii = 0;
    for (Object o : list(m.get("inhibit_rules"), "inhibit_rules")) {
      String w = "inhibit_rules[" + ii++ + "]";
      Map<?, ?> im = map(o, w);
      keys(im, w, INHIBIT_KEYS);
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
        throw new IllegalArgumentException(w + ": " + e.getMessage(), e);
      }
    }
    return List.copyOf(inhibit);
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

  private static RouteBuilder route(Map<?, ?> m, String where,
      Map<String, List<TimeInterval>> intervals) {
    keys(m, where, ROUTE_KEYS);
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
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    b.continueMatching(Yamls.bool(m.get("continue"), false, where + ".continue"));
    set(m, "group_wait", where, b::groupWait);
    set(m, "group_interval", where, b::groupInterval);
    set(m, "repeat_interval", where, b::repeatInterval);
    if (m.get("mute_time_intervals") != null) {
      b.muteTimeIntervals(TimeIntervals.resolve(m.get("mute_time_intervals"),
          where + ".mute_time_intervals", intervals));
    }
    if (m.get("active_time_intervals") != null) {
      b.activeTimeIntervals(TimeIntervals.resolve(m.get("active_time_intervals"),
          where + ".active_time_intervals", intervals));
    }
    int i = 0;
    for (Object c : list(m.get("routes"), where + ".routes")) {
      String w = where + ".routes[" + i++ + "]";
      b.route(route(map(c, w), w, intervals));
    }
    return b;
  }

  /** Sets {@code key} of {@code m} when present; an error names {@code where.key}. */
  private static void set(Map<?, ?> m, String key, String where, Consumer<Duration> setter) {
    Object v = m.get(key);
    if (v == null) {
      return;
    }
    Duration d = duration(v, where + "." + key);
    try {
      setter.accept(d);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "." + key + ": " + e.getMessage(), e);
    }
  }

  private static Duration duration(@Nullable Object v, String where) {
    try {
      return Durations.parse(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
