package dev.sextant.alert.eval;

import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One alert instance of an alerting rule (one label set). Timestamps are null until they happen.
 * Mutated only by its rule, under the rule group's evaluation; readers get copies via
 * {@link AlertingRule#activeAlerts()}.
 */
public final class Alert {
  Labels labels;
  Map<String, String> annotations;
  AlertState state;
  double value;
  Instant activeAt;
  Instant firedAt;
  Instant resolvedAt;
  Instant lastSentAt;
  Instant keepFiringSince;
  Instant validUntil;

  Alert(Labels labels, Map<String, String> annotations, AlertState state, double value,
      Instant activeAt) {
    this.labels = labels;
    this.annotations = annotations;
    this.state = state;
    this.value = value;
    this.activeAt = activeAt;
  }

  Alert copy() {
    Alert a = new Alert(labels, annotations, state, value, activeAt);
    a.firedAt = firedAt;
    a.resolvedAt = resolvedAt;
    a.lastSentAt = lastSentAt;
    a.keepFiringSince = keepFiringSince;
    a.validUntil = validUntil;
    return a;
  }

  /** The alert's labels: the series' labels with the rule's labels, {@code alertname} included. */
  public Labels labels() {
    return labels;
  }

  /** The rule's annotations, expanded for this alert. */
  public Map<String, String> annotations() {
    return annotations;
  }

  public AlertState state() {
    return state;
  }

  /** The expression's value at the last evaluation that returned this series. */
  public double value() {
    return value;
  }

  /** When the expression first returned this series (the alert became pending). */
  public Instant activeAt() {
    return activeAt;
  }

  /** When the alert started firing, or null while it has not. */
  public @Nullable Instant firedAt() {
    return firedAt;
  }

  /** When the alert resolved, or null while it has not. */
  public @Nullable Instant resolvedAt() {
    return resolvedAt;
  }

  /** When the alert was last sent to the notifier, or null when never. */
  public @Nullable Instant lastSentAt() {
    return lastSentAt;
  }

  /**
   * Since when the alert is kept firing by {@code keep_firing_for} although the expression no
   * longer returns it, or null when it is not.
   */
  public @Nullable Instant keepFiringSince() {
    return keepFiringSince;
  }

  boolean needsSending(Instant ts, Duration resendDelay) {
    if (state == AlertState.PENDING) {
      return false;
    }
    if (resolvedAt != null && (lastSentAt == null || resolvedAt.isAfter(lastSentAt))) {
      return true;
    }
    return lastSentAt == null || lastSentAt.plus(resendDelay).isBefore(ts);
  }

  @Override
  public String toString() {
    return "Alert{" + labels + ", " + state + ", value=" + value + ", activeAt=" + activeAt + "}";
  }
}
