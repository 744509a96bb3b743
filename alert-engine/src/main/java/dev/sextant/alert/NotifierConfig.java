package dev.sextant.alert;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.config.NotifierYaml;
import dev.sextant.alert.internal.config.YamlLines;
import dev.sextant.alert.internal.delivery.Receiver;
import dev.sextant.alert.internal.notify.InhibitRule;
import dev.sextant.alert.internal.notify.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.Yaml;

/**
 * The notification part of the config, in Alertmanager's YAML shape: {@code global}
 * ({@code resolve_timeout}, {@code pagerduty_url}), {@code route} (with
 * {@code mute_time_intervals} and {@code active_time_intervals}), {@code receivers} (any number
 * of {@code pagerduty_configs} and {@code webhook_configs} each, with {@code send_resolved} and
 * {@code http_config} authorization), {@code inhibit_rules} and {@code time_intervals}.
 * Matchers may be given as {@code matchers: [...]} or the older {@code match}/{@code match_re}
 * maps. A key Sextant does not implement (e.g. {@code slack_configs}) is an error naming it, never
 * silently dropped; see docs/alertmanager.md.
 *
 * <p>Its components are types of the engine's internals: other modules pass the config to
 * {@link AlertEngine#builder} and {@link #route()} to {@link dev.sextant.alert.backtest.Backtest},
 * and should not depend on their shape.
 */
public final class NotifierConfig {
  private final NotifierYaml.Parsed parsed;

  private NotifierConfig(NotifierYaml.Parsed parsed) {
    this.parsed = parsed;
  }

  /**
   * Parses Alertmanager-style YAML; {@code uiUrl} (the Sextant UI base URL, may be null) is
   * used for links in PagerDuty events.
   *
   * @throws IllegalArgumentException naming the line and field, e.g.
   *     {@code line 7: route.routes[1].group_wait: ...}
   */
  public static NotifierConfig parse(String yaml, @Nullable String uiUrl) {
    requireNonNull(yaml, "yaml");
    Object root = new Yaml().load(yaml);
    if (!(root instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("notifier config: expected a mapping with route and receivers");
    }
    try {
      return of(m, uiUrl);
    } catch (IllegalArgumentException e) {
      throw YamlLines.of(yaml).locate(e);
    }
  }

  /**
   * The config from its section as already read from YAML (string keys; values as a YAML reader
   * gives them: maps, lists, strings, numbers, booleans), e.g. the server config file's
   * {@code alerting.notifier}: it is read as it is, never written back to YAML and parsed again,
   * so the caller can point an error at the user's own file and line. {@code uiUrl} as in
   * {@link #parse}.
   *
   * @throws IllegalArgumentException naming the field relative to the section, e.g.
   *     {@code route.routes[1].group_wait: not a valid duration string: "5x"} or
   *     {@code receivers[0].slack_configs: not supported (supported: ...)}
   */
  public static NotifierConfig of(Map<?, ?> section, @Nullable String uiUrl) {
    requireNonNull(section, "section");
    return new NotifierConfig(NotifierYaml.read(section, uiUrl == null ? "" : uiUrl));
  }

  /** The routing tree. */
  public Route route() {
    return parsed.route();
  }

  /** Every integration of every receiver (a receiver may have several, or none). */
  public List<Receiver> receivers() {
    return List.copyOf(parsed.receivers());
  }

  /** The names of all receivers, in config order. */
  public List<String> receiverNames() {
    return parsed.receiverNames();
  }

  public List<InhibitRule> inhibitRules() {
    return parsed.inhibitRules();
  }

  /**
   * How long an alert posted without {@code endsAt} fires before it resolves unless posted again
   * ({@code global.resolve_timeout}, 5m by default).
   */
  public Duration resolveTimeout() {
    return parsed.resolveTimeout();
  }

  /** The config as YAML with passwords, tokens, keys and webhook URLs masked as {@code <secret>}. */
  public String original() {
    return parsed.original();
  }

  @Override
  public String toString() {
    return parsed.original();
  }
}
