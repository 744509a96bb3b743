package dev.sextant.alert.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager v2's {@code POST /api/v2/alerts} body (a list of postableAlerts: labels,
 * annotations, startsAt, endsAt, generatorURL), read with Alertmanager's rules: a missing
 * {@code startsAt} is now (or {@code endsAt} when only that is given), a missing {@code endsAt}
 * is now plus {@code resolve_timeout}. Bounded: at most {@link #MAX_ALERTS} alerts, each with at
 * most {@link #MAX_LABELS} labels and {@link #MAX_ANNOTATIONS} annotations, names up to
 * {@link #MAX_NAME} and values up to {@link #MAX_VALUE} characters.
 */
public final class PostedAlerts {
  public static final int MAX_ALERTS = 1_000;
  public static final int MAX_LABELS = 64;
  public static final int MAX_ANNOTATIONS = 64;
  public static final int MAX_NAME = 256;
  public static final int MAX_VALUE = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** 0001-01-01T00:00:00Z, Go's zero time, which Prometheus sends for "not set". */
  private static final long GO_ZERO = -62135596800L;
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  /**
   * The alerts read and the errors of those refused (each naming the alert and field). Valid
   * alerts are taken even when others are refused, as Alertmanager does.
   */
  public record Result(List<AlertEvent> alerts, List<String> errors) {}

  private PostedAlerts() {}

  /**
   * Reads {@code body}.
   *
   * @throws IllegalArgumentException when the body is not a JSON list or has too many alerts
   *     (then nothing is taken)
   */
  public static Result parse(String body, Instant now, Duration resolveTimeout) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalArgumentException("alerts: invalid JSON: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("alerts: expected a JSON list of alerts");
    }
    if (root.size() > MAX_ALERTS) {
      throw new IllegalArgumentException("alerts: " + root.size() + " alerts (expected: at most "
          + MAX_ALERTS + " per request)");
    }
    List<AlertEvent> out = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      try {
        out.add(alert(root.get(i), "alerts[" + i + "]", now, resolveTimeout));
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
    return new Result(out, errors);
  }

  private static AlertEvent alert(JsonNode a, String where, Instant now, Duration timeout) {
    if (!a.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object");
    }
    Map<String, String> labels = strings(a.path("labels"), where + ".labels", MAX_LABELS, true);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException(where + ".labels: empty (expected: at least one label)");
    }
    Map<String, String> annotations =
        strings(a.path("annotations"), where + ".annotations", MAX_ANNOTATIONS, false);
    @Nullable Instant startsAt = time(a.path("startsAt"), where + ".startsAt");
    @Nullable Instant endsAt = time(a.path("endsAt"), where + ".endsAt");
    if (startsAt == null) {
      startsAt = endsAt == null ? now : endsAt;
    }
    if (endsAt == null) {
      endsAt = now.plus(timeout);
    }
    if (endsAt.isBefore(startsAt)) {
      throw new IllegalArgumentException(where + ".endsAt: " + endsAt
          + " (expected: not before startsAt " + startsAt + ")");
    }
    String gen = a.path("generatorURL").asText("");
    if (gen.length() > MAX_VALUE) {
      throw new IllegalArgumentException(where + ".generatorURL: " + gen.length()
          + " characters (expected: at most " + MAX_VALUE + ")");
    }
    return new AlertEvent(Labels.of(labels), annotations, startsAt, endsAt, gen);
  }

  private static Map<String, String> strings(JsonNode n, String where, int max,
      boolean labelNames) {
    Map<String, String> out = new HashMap<>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      throw new IllegalArgumentException(where + ": expected an object of strings");
    }
    if (n.size() > max) {
      throw new IllegalArgumentException(where + ": " + n.size() + " entries (expected: at most "
          + max + ")");
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      String k = e.getKey();
      if (k.length() > MAX_NAME) {
        throw new IllegalArgumentException(where + ": name of " + k.length()
            + " characters (expected: at most " + MAX_NAME + ")");
      }
      if (labelNames && !LABEL_NAME.matcher(k).matches()) {
        throw new IllegalArgumentException(where + "." + k
            + ": invalid label name (expected: [a-zA-Z_][a-zA-Z0-9_]*)");
      }
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException(where + "." + k + ": expected a string");
      }
      String v = e.getValue().asText();
      if (v.length() > MAX_VALUE) {
        throw new IllegalArgumentException(where + "." + k + ": " + v.length()
            + " characters (expected: at most " + MAX_VALUE + ")");
      }
      if (labelNames && v.isEmpty()) {
        continue; // an empty label value is no label, as in Prometheus
      }
      out.put(k, v);
    }
    return out;
  }

  /** An RFC 3339 time; null when absent or Go's zero time. */
  private static @Nullable Instant time(JsonNode n, String where) {
    if (n.isMissingNode() || n.isNull() || n.asText("").isEmpty()) {
      return null;
    }
    try {
      Instant t = OffsetDateTime.parse(n.asText()).toInstant();
      return t.getEpochSecond() <= GO_ZERO ? null : t;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(where + ": \"" + n.asText()
          + "\" (expected: an RFC 3339 time)");
    }
  }
}
