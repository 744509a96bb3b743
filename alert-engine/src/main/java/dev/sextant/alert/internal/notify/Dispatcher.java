package dev.sextant.alert.internal.notify;

import dev.sextant.alert.internal.Ticker;
import dev.sextant.alert.internal.notify.Notification.NotifiedAlert;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.Silences;
import dev.sextant.storage.metrics.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager's dispatcher, built in: receives alerts (it is the rule manager's
 * {@link NotifyFunction}), routes them, groups them per route and group labels, and on each
 * group's schedule (group_wait, group_interval, repeat_interval) hands a {@link Notification} to
 * the sink, after silences, inhibition and de-duplication against the {@link NotificationLog}.
 *
 * <p>Unlike Alertmanager, an alert that was notified as firing and then silenced still gets its
 * resolved notification, so no PagerDuty incident is left open; while silenced it is neither
 * re-sent nor reported resolved.
 */
public final class Dispatcher implements NotifyFunction, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  /** Resolved alerts are forgotten this long after their end if no group flushed them. */
  private static final Duration RESOLVED_GC = Duration.ofMinutes(15);

  private final Route route;
  private final NotificationSink sink;
  private final Silences silences;
  private final List<InhibitRule> inhibitRules;
  private final NotificationLog nflog;
  private final Clock clock;
  private final String externalUrl;
  private final int maxAlerts;
  private final Map<Labels, AlertEvent> alerts = new LinkedHashMap<>();
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private Ticker scheduler;

  private static final class Group {
    final Route route;
    final Labels groupLabels;
    final String key;
    final Map<Labels, AlertEvent> alerts = new LinkedHashMap<>();
    Instant nextFlush;

    Group(Route route, Labels groupLabels, String key, Instant nextFlush) {
      this.route = route;
      this.groupLabels = groupLabels;
      this.key = key;
      this.nextFlush = nextFlush;
    }
  }

  Dispatcher(DispatcherBuilder b) {
    this.route = b.route;
    this.sink = b.sink;
    this.silences = b.silences;
    this.inhibitRules = List.copyOf(b.inhibitRules);
    this.nflog = b.nflog;
    this.clock = b.clock;
    this.externalUrl = b.externalUrl;
    this.maxAlerts = b.maxAlerts;
  }

  public static DispatcherBuilder builder(Route route, NotificationSink sink) {
    return new DispatcherBuilder(route, sink);
  }

  @Override
  public synchronized void send(List<AlertEvent> events) {
    Instant now = clock.instant();
    for (AlertEvent e : events) {
      alerts.put(e.labels(), e);
      for (Route r : route.match(e.labels())) {
        Labels gl = r.groupLabels(e.labels());
        String key = r.key() + ":" + gl;
        Group g = groups.computeIfAbsent(key, k -> new Group(r, gl, k, now.plus(r.groupWait())));
        g.alerts.put(e.labels(), e);
      }
    }
  }

  /**
   * Takes alerts from outside (Alertmanager's {@code POST /api/v2/alerts}) as {@link #send}
   * does, unless they would raise the number of alerts held above the limit: then takes none
   * and returns false (the caller refuses, retryably; resolved alerts are forgotten 15 minutes
   * after their end, which makes room).
   */
  public synchronized boolean offer(List<AlertEvent> events) {
    long added = events.stream().map(AlertEvent::labels).distinct()
        .filter(l -> !alerts.containsKey(l)).count();
    if (alerts.size() + added > maxAlerts) {
      return false;
    }
    send(events);
    return true;
  }

  /** The routing tree. */
  public Route route() {
    return route;
  }

  /**
   * An alert as Alertmanager's API shows it: the receivers its routes lead to, the silences
   * muting it and the fingerprints of the alerts inhibiting it.
   */
  public record AlertView(AlertEvent alert, String fingerprint, List<String> receivers,
      List<String> silencedBy, List<String> inhibitedBy) {}

  /** An alert group as Alertmanager's API shows it: not yet resolved alerts only. */
  public record GroupView(String receiver, Labels groupLabels, List<AlertView> alerts) {
    /** This group with only the alerts {@code keep} accepts. */
    public GroupView filtered(Predicate<AlertView> keep) {
      return new GroupView(receiver, groupLabels, alerts.stream().filter(keep).toList());
    }
  }

  /** The alerts not yet resolved, with their status, in arrival order. */
  public synchronized List<AlertView> view() {
    Instant now = clock.instant();
    List<Labels> firing = firing(now);
    List<AlertView> out = new ArrayList<>();
    for (AlertEvent a : alerts.values()) {
      if (!a.resolvedAt(now)) {
        out.add(view(a, firing));
      }
    }
    return out;
  }

  /** The alert groups with alerts not yet resolved. */
  public synchronized List<GroupView> groups() {
    Instant now = clock.instant();
    List<Labels> firing = firing(now);
    List<GroupView> out = new ArrayList<>();
    for (Group g : groups.values()) {
      List<AlertView> as = new ArrayList<>();
      for (AlertEvent a : g.alerts.values()) {
        if (!a.resolvedAt(now)) {
          as.add(view(a, firing));
        }
      }
      if (!as.isEmpty()) {
        out.add(new GroupView(g.route.receiver(), g.groupLabels, as));
      }
    }
    return out;
  }

  private AlertView view(AlertEvent a, List<Labels> firing) {
    List<String> receivers = route.match(a.labels()).stream().map(Route::receiver).distinct()
        .toList();
    List<String> silenced = silences == null ? List.of() : silences.mutedBy(a.labels());
    List<String> inhibited = new ArrayList<>();
    for (InhibitRule r : inhibitRules) {
      Labels src = r.inhibitor(a.labels(), firing);
      if (src != null && !inhibited.contains(fingerprint(src))) {
        inhibited.add(fingerprint(src));
      }
    }
    return new AlertView(a, fingerprint(a.labels()), receivers, silenced, inhibited);
  }

  private List<Labels> firing(Instant now) {
    List<Labels> firing = new ArrayList<>();
    for (AlertEvent a : alerts.values()) {
      if (!a.resolvedAt(now)) {
        firing.add(a.labels());
      }
    }
    return firing;
  }

  /** All alerts currently known, for the alerts API. */
  public synchronized List<AlertEvent> alerts() {
    return List.copyOf(alerts.values());
  }

  public Silences silences() {
    return silences;
  }

  /** Flushes every group whose time has come; called every second by {@link #start()}. */
  public synchronized void tick() {
    Instant now = clock.instant();
    List<Labels> firing = firing(now);
    var it = groups.values().iterator();
    while (it.hasNext()) {
      Group g = it.next();
      if (now.isBefore(g.nextFlush)) {
        continue;
      }
      if (g.route.mutedAt(now)) {
        // Inside a mute (or outside every active) time interval: nothing goes out and the
        // group keeps its alerts, so a resolve held back now is sent once the interval ends.
        g.nextFlush = now.plus(g.route.groupInterval());
        continue;
      }
      flush(g, now, firing);
      g.nextFlush = now.plus(g.route.groupInterval());
      if (g.alerts.isEmpty()) {
        it.remove();
      }
    }
    alerts.values().removeIf(a -> a.endsAt().plus(RESOLVED_GC).isBefore(now));
  }

  private boolean muted(Labels l, List<Labels> firing) {
    if (silences != null && !silences.mutedBy(l).isEmpty()) {
      return true;
    }
    for (InhibitRule r : inhibitRules) {
      if (r.inhibits(l, firing)) {
        return true;
      }
    }
    return false;
  }

  private void flush(Group g, Instant now, List<Labels> allFiring) {
    String receiver = g.route.receiver();
    NotificationLog.Entry prev = nflog.get(receiver, g.key);
    Set<String> prevFiring = prev == null ? Set.of() : prev.firing();
    List<NotifiedAlert> out = new ArrayList<>();
    Set<String> firing = new HashSet<>();
    Set<String> resolved = new HashSet<>();
    List<Labels> sentResolved = new ArrayList<>();
    for (AlertEvent a : g.alerts.values()) {
      String fp = fingerprint(a.labels());
      boolean isResolved = a.resolvedAt(now);
      boolean mute = muted(a.labels(), allFiring);
      if (!isResolved) {
        if (mute) {
          // Muted but already paged: still counts as firing so the incident is not resolved.
          if (prevFiring.contains(fp)) {
            firing.add(fp);
          }
          continue;
        }
        firing.add(fp);
        out.add(notified("firing", a, fp));
      } else {
        sentResolved.add(a.labels());
        if (mute && !prevFiring.contains(fp)) {
          continue;
        }
        resolved.add(fp);
        out.add(notified("resolved", a, fp));
      }
    }
    if (needsUpdate(prev, firing, resolved, g.route.repeatInterval(), now) && !out.isEmpty()) {
      Notification n = build(receiver, g, out, now);
      sink.accept(n);
      nflog.put(receiver, g.key, new NotificationLog.Entry(firing, resolved, now));
    } else if (prev != null && firing.isEmpty() && resolved.isEmpty()) {
      nflog.put(receiver, g.key, new NotificationLog.Entry(Set.of(), Set.of(), prev.timestamp()));
    }
    for (Labels l : sentResolved) {
      g.alerts.remove(l);
    }
  }

  /** Alertmanager's DedupStage.needsUpdate, with send_resolved on. */
  private static boolean needsUpdate(NotificationLog.Entry prev, Set<String> firing,
      Set<String> resolved, Duration repeat, Instant now) {
    if (prev == null) {
      return !firing.isEmpty();
    }
    if (!prev.firing().containsAll(firing)) {
      return true;
    }
    if (firing.isEmpty()) {
      return !prev.firing().isEmpty();
    }
    if (!prev.resolved().containsAll(resolved)) {
      return true;
    }
    return !prev.timestamp().isAfter(now.minus(repeat));
  }

  private static NotifiedAlert notified(String status, AlertEvent a, String fp) {
    return new NotifiedAlert(status, a.labels(), a.annotations(), a.startsAt(),
        status.equals("resolved") ? a.endsAt() : null, a.generatorUrl(), fp);
  }

  private Notification build(String receiver, Group g, List<NotifiedAlert> out, Instant now) {
    boolean anyFiring = out.stream().anyMatch(a -> a.status().equals("firing"));
    Map<String, String> commonLabels = null;
    Map<String, String> commonAnn = null;
    for (NotifiedAlert a : out) {
      commonLabels = intersect(commonLabels, a.labels().toMap());
      commonAnn = intersect(commonAnn, a.annotations());
    }
    return new Notification(receiver, g.key, g.groupLabels, anyFiring ? "firing" : "resolved",
        List.copyOf(out), commonLabels, commonAnn, externalUrl, now, Evidence.NONE);
  }

  private static Map<String, String> intersect(Map<String, String> acc, Map<String, String> m) {
    if (acc == null) {
      return new TreeMap<>(m);
    }
    acc.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
    return acc;
  }

  /** A stable 16-hex-digit fingerprint of a label set (FNV-1a 64, like Prometheus's). */
  public static String fingerprint(Labels l) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < l.size(); i++) {
      for (String s : new String[] {l.name(i), l.value(i)}) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
          h ^= b & 0xff;
          h *= 0x100000001b3L;
        }
        h ^= 0xff;
        h *= 0x100000001b3L;
      }
    }
    return String.format("%016x", h);
  }

  /** Starts flushing groups every second on a daemon thread. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Ticker.start("sextant-alert-dispatch",
        Duration.ofSeconds(1),
        Duration.ofSeconds(1), () -> tick(), log);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.stop();
      scheduler = null;
    }
  }
}
