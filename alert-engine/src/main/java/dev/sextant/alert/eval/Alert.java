package dev.sextant.alert.eval;

import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

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

  public Labels labels() {
    return labels;
  }

  public Map<String, String> annotations() {
    return annotations;
  }

  public AlertState state() {
    return state;
  }

  public double value() {
    return value;
  }

  public Instant activeAt() {
    return activeAt;
  }

  public Instant firedAt() {
    return firedAt;
  }

  public Instant resolvedAt() {
    return resolvedAt;
  }

  public Instant lastSentAt() {
    return lastSentAt;
  }

  public Instant keepFiringSince() {
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
