package dev.sextant.alert.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.storage.metrics.Labels;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The silence store (the API's backing): create, expire, list, and the mute check. Persisted in
 * the {@link AlertDb} when one is given; expired silences are kept 5 days for the record.
 */
public final class Silences {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RETENTION = Duration.ofDays(5);

  /** Stored form: epoch millis, no Java-time module needed. */
  private record Stored(String id, List<String> matchers, long startsAt, long endsAt,
      String createdBy, String comment) {}

  private final Map<String, Silence> byId = new ConcurrentHashMap<>();
  private final @Nullable AlertDb db;
  private final Clock clock;

  /**
   * Silences kept in {@code db} (loaded from it now; an unreadable entry is skipped) or, when
   * {@code db} is null, in memory only, as a backtest needs. Created by the engine; other modules
   * reach them through {@link dev.sextant.alert.AlertEngine#silences()}.
   */
  public Silences(@Nullable AlertDb db, Clock clock) {
    this.db = db;
    this.clock = requireNonNull(clock, "clock");
    if (db != null) {
      db.scan(AlertDb.Table.SILENCES, (k, v) -> {
        try {
          Stored st = JSON.readValue(v, Stored.class);
          Silence s = new Silence(st.id(), st.matchers(), Instant.ofEpochMilli(st.startsAt()),
              Instant.ofEpochMilli(st.endsAt()), st.createdBy(), st.comment());
          byId.put(s.id(), s);
        } catch (Exception e) {
          // A corrupt entry must not take the other silences down.
        }
        return true;
      });
    }
  }

  /** Adds (or replaces, when the id exists) a silence; a blank id gets a generated one. */
  public Silence add(Silence s) {
    requireNonNull(s, "s");
    if (s.id().isBlank()) {
      s = new Silence(UUID.randomUUID().toString(), s.matchers(), s.startsAt(), s.endsAt(),
          s.createdBy(), s.comment());
    }
    byId.put(s.id(), s);
    persist(s);
    return s;
  }

  /** Ends a silence now; returns false when there is no such active or pending silence. */
  public boolean expire(String id) {
    Silence s = byId.get(id);
    Instant now = clock.instant();
    if (s == null || !now.isBefore(s.endsAt())) {
      return false;
    }
    Instant start = s.startsAt().isAfter(now) ? now.minusMillis(1) : s.startsAt();
    Silence e = new Silence(s.id(), s.matchers(), start, now, s.createdBy(), s.comment());
    byId.put(id, e);
    persist(e);
    return true;
  }

  /**
   * Every silence, active, pending or expired; silences expired more than 5 days ago are dropped
   * here, from memory and from the store.
   */
  public List<Silence> list() {
    Instant now = clock.instant();
    List<Silence> out = new ArrayList<>();
    for (Silence s : byId.values()) {
      if (now.isAfter(s.endsAt().plus(RETENTION))) {
        byId.remove(s.id());
        if (db != null) {
          db.delete(AlertDb.Table.SILENCES, s.id().getBytes(StandardCharsets.UTF_8));
        }
        continue;
      }
      out.add(s);
    }
    return out;
  }

  /** The ids of active silences muting {@code labels} now; empty when not silenced. */
  public List<String> mutedBy(Labels labels) {
    Instant now = clock.instant();
    List<String> out = new ArrayList<>();
    for (Silence s : byId.values()) {
      if (s.mutes(labels, now)) {
        out.add(s.id());
      }
    }
    return out;
  }

  private void persist(Silence s) {
    if (db == null) {
      return;
    }
    try {
      db.put(AlertDb.Table.SILENCES, s.id().getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(
          new Stored(s.id(), s.matchers(), s.startsAt().toEpochMilli(), s.endsAt().toEpochMilli(),
              s.createdBy(), s.comment())));
    } catch (Exception e) {
      throw new IllegalStateException("cannot persist silence " + s.id() + ": " + e, e);
    }
  }
}
