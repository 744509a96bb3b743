package dev.sextant.alert.backtest;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.QueryFunction;
import dev.sextant.alert.eval.Alert;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.eval.RuleManager;
import dev.sextant.alert.notify.Dispatcher;
import dev.sextant.alert.notify.DispatcherBuilder;
import dev.sextant.alert.notify.InhibitRule;
import dev.sextant.alert.notify.Notification;
import dev.sextant.alert.notify.Route;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.notify.Silences;
import dev.sextant.alert.rules.RuleGroupConfig;
import dev.sextant.storage.metrics.Labels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays rules over stored history: evaluates every group on its interval between {@code from}
 * and {@code to} (the query function answers for past timestamps), with {@code for},
 * {@code keep_firing_for}, routing, grouping, silences and inhibition, and records the alert
 * timeline and the pages each receiver would have got. Nothing is delivered or persisted.
 *
 * <p>Time advances in {@code step}s (default 5s), so group_wait and group_interval are honoured to
 * that resolution.
 */
public final class Backtest {
  /** An alert changing state: to is "pending", "firing" or "resolved" ("inactive" for a pending alert that vanished). */
  public record Transition(Instant time, Labels alert, String to, double value) {}

  /** A notification a receiver would have received. */
  public record Page(Instant time, String receiver, String status, String groupKey, int firing,
      int resolved) {}

  /** The replay's outcome. */
  public record Result(List<Transition> timeline, List<Page> pages) {
    /** A human-readable report, one line per event. */
    public String format() {
      StringBuilder sb = new StringBuilder("Timeline:\n");
      for (Transition t : timeline) {
        sb.append("  ").append(t.time()).append("  ").append(String.format("%-8s", t.to()))
            .append(' ').append(t.alert()).append('\n');
      }
      sb.append("Pages:\n");
      for (Page p : pages) {
        sb.append("  ").append(p.time()).append("  ").append(p.receiver()).append("  ")
            .append(p.status()).append("  firing=").append(p.firing()).append(" resolved=")
            .append(p.resolved()).append("  ").append(p.groupKey()).append('\n');
      }
      if (pages.isEmpty()) {
        sb.append("  (none)\n");
      }
      return sb.toString();
    }
  }

  private static final class SimClock extends Clock {
    Instant now;

    SimClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private final List<RuleGroupConfig> groups;
  private final QueryFunction query;
  private final Route route;
  private final List<Silence> silences = new ArrayList<>();
  private final List<InhibitRule> inhibitRules = new ArrayList<>();
  private Duration step = Duration.ofSeconds(5);
  private Duration defaultInterval = Duration.ofMinutes(1);

  public Backtest(List<RuleGroupConfig> groups, QueryFunction query, Route route) {
    this.groups = List.copyOf(requireNonNull(groups, "groups"));
    this.query = requireNonNull(query, "query");
    this.route = requireNonNull(route, "route");
  }

  public Backtest silence(Silence s) {
    silences.add(requireNonNull(s, "s"));
    return this;
  }

  public Backtest inhibitRule(InhibitRule r) {
    inhibitRules.add(requireNonNull(r, "r"));
    return this;
  }

  public Backtest step(Duration step) {
    requireNonNull(step, "step");
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step: " + step + " (expected: > 0)");
    }
    this.step = step;
    return this;
  }

  public Backtest defaultInterval(Duration interval) {
    this.defaultInterval = requireNonNull(interval, "interval");
    return this;
  }

  /**
   * Replays {@code [from, to]}.
   *
   * @throws IllegalArgumentException when {@code to} is before {@code from}
   */
  public Result run(Instant from, Instant to) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to: " + to + " (expected: not before from " + from + ")");
    }
    SimClock clock = new SimClock(from);
    List<Page> pages = new ArrayList<>();
    Silences sil = new Silences(null, clock);
    silences.forEach(sil::add);
    DispatcherBuilder db = Dispatcher.builder(route, n -> pages.add(page(n))).clock(clock)
        .silences(sil);
    inhibitRules.forEach(db::inhibitRule);
    Dispatcher dispatcher = db.build();
    RuleManager rules = RuleManager.builder(query).clock(clock).notifier(dispatcher)
        .defaultInterval(defaultInterval).build();
    rules.update(groups);
    List<Transition> timeline = new ArrayList<>();
    Map<Labels, AlertState> prev = new HashMap<>();
    for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
      clock.now = t;
      rules.tick();
      dispatcher.tick();
      Map<Labels, AlertState> now = new HashMap<>();
      for (Alert a : rules.alerts()) {
        now.put(a.labels(), a.state());
        AlertState before = prev.get(a.labels());
        if (before != a.state()) {
          String to2 = a.state() == AlertState.INACTIVE ? "resolved" : a.state().promName();
          if (!(before == null && a.state() == AlertState.INACTIVE)) {
            timeline.add(new Transition(t, a.labels(), to2, a.value()));
          }
        }
      }
      for (Map.Entry<Labels, AlertState> e : prev.entrySet()) {
        if (!now.containsKey(e.getKey()) && e.getValue() == AlertState.PENDING) {
          timeline.add(new Transition(t, e.getKey(), "inactive", Double.NaN));
        }
      }
      prev = now;
    }
    return new Result(List.copyOf(timeline), List.copyOf(pages));
  }

  private static Page page(Notification n) {
    return new Page(n.time(), n.receiver(), n.status(), n.groupKey(), n.firing().size(),
        n.resolved().size());
  }
}
