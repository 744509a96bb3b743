package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.notify.NotificationSink;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidenceProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders notifications with their receiver and puts them durably in the outbox. */
public final class OutboxSink implements NotificationSink {
  private static final Logger log = LoggerFactory.getLogger(OutboxSink.class);
  private static final Duration WINDOW = Duration.ofMinutes(15);

  private final Outbox outbox;
  private final Map<String, Receiver> receivers = new HashMap<>();
  private final Clock clock;
  private final EvidenceProvider evidence;

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
      if (this.receivers.put(r.name(), r) != null) {
        throw new IllegalArgumentException("receivers: duplicate name " + r.name());
      }
    }
  }

  @Override
  public void accept(Notification n) {
    Receiver r = receivers.get(n.receiver());
    if (r == null) {
      log.error("notification for unknown receiver {} dropped (group {})", n.receiver(), n.groupKey());
      return;
    }
    if (evidence != null && n.status().equals("firing")) {
      n = n.withEvidence(collect(n));
    }
    outbox.enqueue(r.render(n), clock.instant());
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
