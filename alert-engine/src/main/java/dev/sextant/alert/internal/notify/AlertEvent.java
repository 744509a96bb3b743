package dev.sextant.alert.internal.notify;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.Labels;
import java.time.Instant;
import java.util.Map;

/**
 * An alert as the rule evaluator sends it to the notification pipeline (Prometheus's
 * {@code notifier.Alert}): firing while {@code endsAt} is in the future, resolved once it has
 * passed. {@code labels} include {@code alertname}.
 */
public record AlertEvent(Labels labels, Map<String, String> annotations, Instant startsAt,
    Instant endsAt, String generatorUrl) {
  public AlertEvent {
    requireNonNull(labels, "labels");
    annotations = Map.copyOf(requireNonNull(annotations, "annotations"));
    requireNonNull(startsAt, "startsAt");
    requireNonNull(endsAt, "endsAt");
    requireNonNull(generatorUrl, "generatorUrl");
  }

  public boolean resolvedAt(Instant now) {
    return !endsAt.isAfter(now);
  }

  public String alertName() {
    return labels.get("alertname");
  }
}
