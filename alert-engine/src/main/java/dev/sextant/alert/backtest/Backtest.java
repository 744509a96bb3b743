package dev.sextant.alert.backtest;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.eval.Alert;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.eval.RuleManager;
import dev.sextant.alert.internal.notify.Dispatcher;
import dev.sextant.alert.internal.notify.DispatcherBuilder;
import dev.sextant.alert.internal.notify.InhibitRule;
import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.notify.Route;
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
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Replays rules over stored history: evaluates every group on its interval between {@code from}
 * and {@code to} (the query function answers for past timestamps), with {@code for},
 * {@code keep_firing_for}, routing, grouping, silences and inhibition, and records the alert
 * timeline and the pages each receiver would have got. Nothing is delivered or persisted.
 *
 * <p>Time advances in {@code step}s (default 5s), so group_wait and group_interval are honoured to
 * that resolution.
 *
 * <p>Bounded work: a replay of more than {@link #MAX_EVALUATIONS} rule evaluations (rules times
 * evaluations of their group's interval over the range) is refused before it starts; a
 * {@link #deadline} stops it between evaluations with {@link DeadlineExceededException}; a
 * {@link #cancelWhen} condition (a client gone) stops it with {@link CancellationException}.
 */
public final class Backtest {
  /** Most rule evaluations one replay may run: 100 rules at 1m over ~16 hours, say. */
  public static final long MAX_EVALUATIONS = 100_000;

  /** The replay ran past its deadline; nothing of it is returned. */
  public static final class DeadlineExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadlineExceededException(String message) {
      super(message);
    }
  }

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
  private Duration deadline;
  private BooleanSupplier cancelled = () -> false;

  /**
   * A replay of {@code groups} over {@code query}, paging through {@code route} (the notifier
   * config's {@link dev.sextant.alert.NotifierConfig#route()}).
   */
  public Backtest(List<RuleGroupConfig> groups, QueryFunction query, Route route) {
    this.groups = List.copyOf(requireNonNull(groups, "groups"));
    this.query = requireNonNull(query, "query");
    this.route = requireNonNull(route, "route");
  }

  /** Mutes the alerts {@code s} matches while it is active in the replayed time. */
  public Backtest silence(Silence s) {
    silences.add(requireNonNull(s, "s"));
    return this;
  }

  /** Applies {@code r} during the replay, as the notifier config's inhibit rules would. */
  public Backtest inhibitRule(InhibitRule r) {
    inhibitRules.add(requireNonNull(r, "r"));
    return this;
  }

  /** How far replayed time advances at once (5s by default); must be positive. */
  public Backtest step(Duration step) {
    requireNonNull(step, "step");
    if (step.isZero() || step.isNegative()) {
      throw new IllegalArgumentException("step: " + step + " (expected: > 0)");
    }
    this.step = step;
    return this;
  }

  /** The evaluation interval of groups that set none; 1m by default. */
  public Backtest defaultInterval(Duration interval) {
    this.defaultInterval = requireNonNull(interval, "interval");
    return this;
  }

  /** Stops {@link #run} once it has run for {@code timeout}; none by default. */
  public Backtest deadline(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.deadline = timeout;
    return this;
  }

  /** Stops {@link #run} between evaluations once {@code cancelled} answers true. */
  public Backtest cancelWhen(BooleanSupplier cancelled) {
    this.cancelled = requireNonNull(cancelled, "cancelled");
    return this;
  }

  /**
   * The rule evaluations a replay of {@code [from, to]} runs: per group, its rules times the
   * evaluations of its interval (or the default interval) over the range.
   */
  public long evaluations(Instant from, Instant to) {
    long rangeMs = Math.max(0, Duration.between(from, to).toMillis());
    long total = 0;
    for (RuleGroupConfig g : groups) {
      long intervalMs = Math.max(1, (g.interval() == null ? defaultInterval : g.interval())
          .toMillis());
      long per = rangeMs / intervalMs + 1;
      total = Math.min(Long.MAX_VALUE / 2, total + per * Math.max(1, g.rules().size()));
    }
    return total;
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
    long evaluations = evaluations(from, to);
    if (evaluations > MAX_EVALUATIONS) {
      throw new IllegalArgumentException("backtest: " + evaluations + " rule evaluations (limit: "
          + MAX_EVALUATIONS + "; shorten the range or send fewer rules)");
    }
    long startNanos = System.nanoTime();
    // Checked before each query too, so one step with many slow rules cannot run far past it.
    QueryFunction bounded = (expr, time) -> {
      check(startNanos, time);
      return query.query(expr, time);
    };
    SimClock clock = new SimClock(from);
    List<Page> pages = new ArrayList<>();
    Silences sil = new Silences(null, clock);
    silences.forEach(sil::add);
    DispatcherBuilder db = Dispatcher.builder(route, n -> pages.add(page(n))).clock(clock)
        .silences(sil);
    inhibitRules.forEach(db::inhibitRule);
    Dispatcher dispatcher = db.build();
    RuleManager rules = RuleManager.builder(bounded).clock(clock).notifier(dispatcher)
        .defaultInterval(defaultInterval).build();
    rules.update(groups);
    List<Transition> timeline = new ArrayList<>();
    Map<Labels, AlertState> prev = new HashMap<>();
    for (Instant t = from; !t.isAfter(to); t = t.plus(step)) {
      check(startNanos, t);
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
    check(startNanos, to);
    return new Result(List.copyOf(timeline), List.copyOf(pages));
  }

  /** Throws when the replay is cancelled or past its deadline; {@code at} is simulated time. */
  private void check(long startNanos, Instant at) {
    if (cancelled.getAsBoolean()) {
      throw new CancellationException("backtest: cancelled at " + at);
    }
    if (deadline != null && System.nanoTime() - startNanos > deadline.toNanos()) {
      throw new DeadlineExceededException("backtest: deadline of " + deadline.toMillis()
          + " ms exceeded at " + at + " (shorten the range or send fewer rules)");
    }
  }

  private static Page page(Notification n) {
    return new Page(n.time(), n.receiver(), n.status(), n.groupKey(), n.firing().size(),
        n.resolved().size());
  }
}
