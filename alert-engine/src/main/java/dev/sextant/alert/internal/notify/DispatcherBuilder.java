package dev.sextant.alert.internal.notify;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.notify.Silences;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Builds a {@link Dispatcher}. */
public final class DispatcherBuilder {
  final Route route;
  final NotificationSink sink;
  Silences silences;
  final List<InhibitRule> inhibitRules = new ArrayList<>();
  NotificationLog nflog;
  Clock clock = Clock.systemUTC();
  String externalUrl = "";
  int maxAlerts = 100_000;

  DispatcherBuilder(Route route, NotificationSink sink) {
    this.route = requireNonNull(route, "route");
    this.sink = requireNonNull(sink, "sink");
  }

  public DispatcherBuilder silences(Silences silences) {
    this.silences = requireNonNull(silences, "silences");
    return this;
  }

  public DispatcherBuilder inhibitRule(InhibitRule rule) {
    inhibitRules.add(requireNonNull(rule, "rule"));
    return this;
  }

  /** Where sent notifications are remembered; in memory by default (a restart may re-send). */
  public DispatcherBuilder notificationLog(NotificationLog nflog) {
    this.nflog = requireNonNull(nflog, "nflog");
    return this;
  }

  public DispatcherBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  public DispatcherBuilder externalUrl(String externalUrl) {
    this.externalUrl = requireNonNull(externalUrl, "externalUrl");
    return this;
  }

  /** Most alerts {@link Dispatcher#offer} lets the dispatcher hold (100,000 by default). */
  public DispatcherBuilder maxAlerts(int maxAlerts) {
    if (maxAlerts <= 0) {
      throw new IllegalArgumentException("maxAlerts: " + maxAlerts + " (expected: > 0)");
    }
    this.maxAlerts = maxAlerts;
    return this;
  }

  public Dispatcher build() {
    if (nflog == null) {
      nflog = new NotificationLog(null);
    }
    return new Dispatcher(this);
  }
}
