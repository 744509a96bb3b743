package dev.sextant.alert.internal.notify;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.notify.Matchers;
import dev.sextant.storage.metrics.LabelMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Route} tree. Defaults at the root are Alertmanager's: group_wait 30s,
 * group_interval 5m, repeat_interval 4h, no grouping.
 */
public final class RouteBuilder {
  private String receiver;
  private final List<LabelMatcher> matchers = new ArrayList<>();
  private Set<String> groupBy;
  private Duration groupWait;
  private Duration groupInterval;
  private Duration repeatInterval;
  private boolean cont;
  private final List<RouteBuilder> children = new ArrayList<>();
  private final List<TimeInterval> muteTimes = new ArrayList<>();
  private @Nullable List<TimeInterval> activeTimes;
  private boolean timeIntervalsSet;

  /** A child route builder. */
  public static RouteBuilder child() {
    return new RouteBuilder();
  }

  public RouteBuilder receiver(String receiver) {
    this.receiver = requireNonNull(receiver, "receiver");
    return this;
  }

  /** Adds matchers in Alertmanager syntax, e.g. {@code severity=~"critical|page"}. */
  public RouteBuilder matchers(String... matchers) {
    for (String m : matchers) {
      this.matchers.addAll(Matchers.parse(m));
    }
    return this;
  }

  public RouteBuilder matcher(LabelMatcher m) {
    matchers.add(requireNonNull(m, "m"));
    return this;
  }

  /** Labels to group by; {@code "..."} groups by all labels. */
  public RouteBuilder groupBy(String... labels) {
    this.groupBy = new LinkedHashSet<>(List.of(labels));
    return this;
  }

  public RouteBuilder groupWait(Duration d) {
    this.groupWait = positiveOrZero(d, "groupWait");
    return this;
  }

  public RouteBuilder groupInterval(Duration d) {
    this.groupInterval = positive(d, "groupInterval");
    return this;
  }

  public RouteBuilder repeatInterval(Duration d) {
    this.repeatInterval = positive(d, "repeatInterval");
    return this;
  }

  public RouteBuilder continueMatching(boolean c) {
    this.cont = c;
    return this;
  }

  /** Notifications of this route are held back while any of {@code intervals} contains now. */
  public RouteBuilder muteTimeIntervals(List<TimeInterval> intervals) {
    muteTimes.addAll(requireNonNull(intervals, "intervals"));
    timeIntervalsSet = true;
    return this;
  }

  /**
   * Notifications of this route go out only while one of {@code intervals} contains now (an
   * empty list: never). Not calling this means always.
   */
  public RouteBuilder activeTimeIntervals(List<TimeInterval> intervals) {
    requireNonNull(intervals, "intervals");
    timeIntervalsSet = true;
    if (activeTimes == null) {
      activeTimes = new ArrayList<>();
    }
    activeTimes.addAll(intervals);
    return this;
  }

  public RouteBuilder route(RouteBuilder child) {
    children.add(requireNonNull(child, "child"));
    return this;
  }

  private static Duration positive(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
    return d;
  }

  private static Duration positiveOrZero(Duration d, String name) {
    requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
    }
    return d;
  }

  /** Builds the root route. */
  public Route build() {
    if (receiver == null) {
      throw new IllegalArgumentException("receiver: missing (expected: the root route names a receiver)");
    }
    if (!matchers.isEmpty()) {
      throw new IllegalArgumentException("matchers: root route must not have matchers");
    }
    if (timeIntervalsSet) {
      throw new IllegalArgumentException("mute_time_intervals: root route must not have "
          + "mute or active time intervals (as in Alertmanager; set them on a child route)");
    }
    RouteBuilder defaults = new RouteBuilder();
    defaults.groupBy = Set.of();
    defaults.groupWait = Duration.ofSeconds(30);
    defaults.groupInterval = Duration.ofMinutes(5);
    defaults.repeatInterval = Duration.ofHours(4);
    return resolve(receiver, defaults, null);
  }

  Route build(Route parent, int index) {
    RouteBuilder p = new RouteBuilder();
    p.groupBy = parent.groupByAll() ? Set.of("...") : parent.groupBy();
    p.groupWait = parent.groupWait();
    p.groupInterval = parent.groupInterval();
    p.repeatInterval = parent.repeatInterval();
    return resolve(receiver == null ? parent.receiver() : receiver, p, parent.key());
  }

  private Route resolve(String recv, RouteBuilder p, String parentKey) {
    Set<String> gb = groupBy != null ? groupBy : p.groupBy;
    boolean all = gb.contains("...");
    return new Route(recv, matchers, all ? Set.of() : gb, all,
        groupWait != null ? groupWait : p.groupWait,
        groupInterval != null ? groupInterval : p.groupInterval,
        repeatInterval != null ? repeatInterval : p.repeatInterval, cont, children, parentKey,
        muteTimes, activeTimes);
  }
}
