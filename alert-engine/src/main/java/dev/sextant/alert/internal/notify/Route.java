package dev.sextant.alert.internal.notify;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.notify.Matchers;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A node of Alertmanager's routing tree. An alert descends into the first matching child (and
 * further ones when that child has {@code continue}); when no child matches, this node handles it.
 * Unset settings are inherited from the parent at build time.
 */
public final class Route {
  private final String receiver;
  private final List<LabelMatcher> matchers;
  private final Set<String> groupBy;
  private final boolean groupByAll;
  private final Duration groupWait;
  private final Duration groupInterval;
  private final Duration repeatInterval;
  private final boolean continueMatching;
  private final List<Route> routes;
  private final String key;
  private final List<TimeInterval> muteTimes;
  private final @Nullable List<TimeInterval> activeTimes;

  Route(String receiver, List<LabelMatcher> matchers, Set<String> groupBy, boolean groupByAll,
      Duration groupWait, Duration groupInterval, Duration repeatInterval, boolean cont,
      List<RouteBuilder> children, String parentKey, List<TimeInterval> muteTimes,
      @Nullable List<TimeInterval> activeTimes) {
    this.muteTimes = List.copyOf(muteTimes);
    this.activeTimes = activeTimes == null ? null : List.copyOf(activeTimes);
    this.receiver = receiver;
    this.matchers = List.copyOf(matchers);
    this.groupBy = Set.copyOf(groupBy);
    this.groupByAll = groupByAll;
    this.groupWait = groupWait;
    this.groupInterval = groupInterval;
    this.repeatInterval = repeatInterval;
    this.continueMatching = cont;
    this.key = (parentKey == null ? "" : parentKey + "/") + Matchers.toString(this.matchers);
    List<Route> rs = new ArrayList<>();
    for (int i = 0; i < children.size(); i++) {
      rs.add(children.get(i).build(this, i));
    }
    this.routes = List.copyOf(rs);
  }

  /** A builder for the root route, which must name a receiver. */
  public static RouteBuilder builder(String receiver) {
    return new RouteBuilder().receiver(requireNonNull(receiver, "receiver"));
  }

  /** The routes that handle {@code labels}, in tree order; empty when this node does not match. */
  public List<Route> match(Labels labels) {
    if (!Matchers.matches(matchers, labels)) {
      return List.of();
    }
    List<Route> all = new ArrayList<>();
    for (Route c : routes) {
      List<Route> m = c.match(labels);
      all.addAll(m);
      if (!m.isEmpty() && !c.continueMatching) {
        break;
      }
    }
    if (all.isEmpty()) {
      all.add(this);
    }
    return all;
  }

  /** The group labels of an alert: its values of {@code group_by} (all labels for "..."). */
  public Labels groupLabels(Labels labels) {
    if (groupByAll) {
      return labels;
    }
    List<String> nv = new ArrayList<>();
    for (String g : groupBy) {
      if (labels.has(g)) {
        nv.add(g);
        nv.add(labels.get(g));
      }
    }
    return Labels.of(nv.toArray(new String[0]));
  }

  /**
   * Whether this route's notifications are held back at {@code t}: inside one of its
   * {@code mute_time_intervals}, or outside all of its {@code active_time_intervals} when it has
   * some. Neither is inherited by child routes (as in Alertmanager).
   */
  public boolean mutedAt(Instant t) {
    if (TimeInterval.anyContains(muteTimes, t)) {
      return true;
    }
    return activeTimes != null && !TimeInterval.anyContains(activeTimes, t);
  }

  public String receiver() {
    return receiver;
  }

  public Duration groupWait() {
    return groupWait;
  }

  public Duration groupInterval() {
    return groupInterval;
  }

  public Duration repeatInterval() {
    return repeatInterval;
  }

  public boolean continueMatching() {
    return continueMatching;
  }

  public List<Route> routes() {
    return routes;
  }

  /** Identifies this node in group keys, e.g. {@code {}/{severity="critical"}}. */
  public String key() {
    return key;
  }

  Set<String> groupBy() {
    return groupBy;
  }

  boolean groupByAll() {
    return groupByAll;
  }
}
