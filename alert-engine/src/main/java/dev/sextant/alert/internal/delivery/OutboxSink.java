package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.notify.NotificationSink;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidencePins;
import dev.sextant.alert.notify.EvidenceProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders notifications with their receiver and puts them durably in the outbox. */
public final class OutboxSink implements NotificationSink {
  private static final Logger log = LoggerFactory.getLogger(OutboxSink.class);
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final Outbox outbox;
  private final Map<String, List<Receiver>> receivers = new HashMap<>();
  private final Clock clock;
  private final EvidenceProvider evidence;
  private EvidencePins pins;
  private BinaryOperator<String> incidentIds;

  public OutboxSink(Outbox outbox, List<Receiver> receivers, Clock clock) {
    this(outbox, receivers, clock, null);
  }

  /**
   * With an evidence provider: firing notifications get up to {@link Evidence#MAX_ITEMS} traces
   * and log lines for their first alerts, looked up over the alerts' active window (at least the
   * last 15 minutes).
   */
  public OutboxSink(Outbox outbox, List<Receiver> receivers, Clock clock, EvidenceProvider evidence) {
    this.outbox = requireNonNull(outbox, "outbox");
    this.clock = requireNonNull(clock, "clock");
    this.evidence = evidence;
    for (Receiver r : receivers) {
      // Several entries with one name are that receiver's integrations (Integration); two
      // bare receivers with one name are a mistake.
      List<Receiver> same = this.receivers.computeIfAbsent(r.name(), k -> new ArrayList<>());
      if (!same.isEmpty() && !(r instanceof Integration && same.get(0) instanceof Integration)) {
        throw new IllegalArgumentException("receivers: duplicate name " + r.name());
      }
      same.add(r);
    }
  }

  /**
   * Tells {@code pins} of every firing page's evidence and of resolved incidents, each named by
   * {@code incidentIds} (receiver, group key) → the page's dedup key.
   */
  public OutboxSink pins(EvidencePins pins, BinaryOperator<String> incidentIds) {
    this.pins = requireNonNull(pins, "pins");
    this.incidentIds = requireNonNull(incidentIds, "incidentIds");
    return this;
  }

  @Override
  public void accept(Notification n) {
    List<Receiver> rs = receivers.get(n.receiver());
    if (rs == null) {
      log.error("notification for unknown receiver {} dropped (group {})", n.receiver(), n.groupKey());
      return;
    }
    if (evidence != null && n.status().equals("firing")) {
      n = n.withEvidence(collect(n));
    }
    tellPins(n);
    for (Receiver r : rs) {
      Delivery d = r.render(n);
      if (d != null) { // null: an integration with send_resolved off, nothing firing
        outbox.enqueue(d, clock.instant());
      }
    }
  }

  private void tellPins(Notification n) {
    if (pins == null) {
      return;
    }
    String incident = incidentIds.apply(n.receiver(), n.groupKey());
    try {
      if (n.status().equals("firing")) {
        if (!n.evidence().isEmpty()) {
          pins.firing(incident, "evidence of " + n.commonLabels().getOrDefault("alertname",
              n.groupLabels().toString()), n.evidence());
        }
      } else {
        pins.resolved(incident, clock.instant());
      }
    } catch (RuntimeException e) {
      log.warn("pinning the evidence of incident {} failed: {}", incident, e.toString());
    }
  }

  private Evidence collect(Notification n) {
    Instant now = clock.instant();
    List<Evidence.Link> traces = new ArrayList<>();
    List<Evidence.LogLine> logs = new ArrayList<>();
    List<Evidence.Finding> findings = new ArrayList<>();
    // A few alerts are enough: the group shares a cause far more often than not.
    for (Notification.NotifiedAlert a : n.firing().subList(0, Math.min(3, n.firing().size()))) {
      Instant from = a.startsAt().isBefore(now.minus(WINDOW)) ? a.startsAt() : now.minus(WINDOW);
      try {
        Evidence e = evidence.find(a.labels(), from, now);
        if (e != null) {
          traces.addAll(e.traces());
          logs.addAll(e.logs());
          findings.addAll(e.findings());
        }
      } catch (RuntimeException ex) {
        // Evidence is a bonus; the page must go out regardless.
        log.warn("evidence lookup for {} failed: {}", a.labels(), ex.toString());
      }
    }
    logs.sort(Comparator.comparingLong(Evidence.LogLine::count).reversed());
    return new Evidence(traces.stream().distinct().toList(), logs,
        findings.stream().distinct().toList());
  }
}
