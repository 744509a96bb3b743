package dev.sextant.alert.internal.notify;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.storage.metrics.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One notification for one receiver and alert group, after grouping, silencing, inhibition and
 * de-duplication: what a receiver renders (PagerDuty event, webhook body).
 *
 * @param groupKey stable per route and group labels; receivers derive their dedup key from it
 * @param status "firing" when any alert fires, else "resolved"
 */
public record Notification(String receiver, String groupKey, Labels groupLabels, String status,
    List<NotifiedAlert> alerts, Map<String, String> commonLabels,
    Map<String, String> commonAnnotations, String externalUrl, Instant time, Evidence evidence) {

  public Notification {
    evidence = evidence == null ? Evidence.NONE : evidence;
  }

  /** A copy with {@code evidence} attached. */
  public Notification withEvidence(Evidence evidence) {
    return new Notification(receiver, groupKey, groupLabels, status, alerts, commonLabels,
        commonAnnotations, externalUrl, time, evidence);
  }

  /** An alert inside a notification. */
  public record NotifiedAlert(String status, Labels labels, Map<String, String> annotations,
      Instant startsAt, Instant endsAt, String generatorUrl, String fingerprint) {}

  public List<NotifiedAlert> firing() {
    return alerts.stream().filter(a -> a.status().equals("firing")).toList();
  }

  public List<NotifiedAlert> resolved() {
    return alerts.stream().filter(a -> a.status().equals("resolved")).toList();
  }
}
