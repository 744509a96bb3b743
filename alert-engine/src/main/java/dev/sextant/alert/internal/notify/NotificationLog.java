package dev.sextant.alert.internal.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.alert.internal.store.AlertDb;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What was last notified per receiver and group (Alertmanager's nflog): firing and resolved
 * alert fingerprints and the time. Persisted in the {@link AlertDb} when given, so a restart does
 * not page again.
 */
public final class NotificationLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One log entry. */
  public record Entry(Set<String> firing, Set<String> resolved, Instant timestamp) {}

  private record Stored(Set<String> firing, Set<String> resolved, long timestamp) {}

  private final AlertDb db;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public NotificationLog(AlertDb db) {
    this.db = db;
    if (db != null) {
      db.scan(AlertDb.Table.NFLOG, (k, v) -> {
        try {
          Stored s = JSON.readValue(v, Stored.class);
          entries.put(new String(k, StandardCharsets.UTF_8),
              new Entry(s.firing(), s.resolved(), Instant.ofEpochMilli(s.timestamp())));
        } catch (Exception e) {
          // Worst case for a lost entry: one repeated notification.
        }
        return true;
      });
    }
  }

  public Entry get(String receiver, String groupKey) {
    return entries.get(receiver + "\u0000" + groupKey);
  }

  void put(String receiver, String groupKey, Entry e) {
    String k = receiver + "\u0000" + groupKey;
    entries.put(k, e);
    if (db != null) {
      try {
        db.put(AlertDb.Table.NFLOG, k.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(
            new Stored(e.firing(), e.resolved(), e.timestamp().toEpochMilli())));
      } catch (Exception ex) {
        throw new IllegalStateException("cannot persist notification log: " + ex, ex);
      }
    }
  }
}
