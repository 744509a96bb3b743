package dev.sextant.alert.delivery;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.alert.internal.store.AlertDb;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The audit trail: one record per delivery attempt, newest first when listed. Records live in the
 * engine's RocksDB, so they survive a restart. Read it through {@link
 * dev.sextant.alert.AlertEngine#audit()}; the engine creates it and its delivery worker writes it.
 */
public final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One attempt. {@code status} is the HTTP status (0 for a network error or a skipped attempt),
   * {@code outcome} one of delivered, retry, failed, circuit_open; {@code error} is null when
   * delivered.
   */
  public record Record(long time, String receiver, String dedupKey, long outboxId, int attempt,
      int status, String outcome, @Nullable String error) {}

  private final AlertDb db;
  private final AtomicLong seq = new AtomicLong();

  /** Reads and writes the audit table of {@code db}; for the engine's own wiring. */
  public AuditLog(AlertDb db) {
    this.db = requireNonNull(db, "db");
  }

  /** Appends {@code r}; for the delivery worker. */
  public void add(Record r) {
    // time first so that keys sort by time; seq breaks ties within a millisecond.
    byte[] k = ByteBuffer.allocate(16).putLong(r.time()).putLong(seq.incrementAndGet()).array();
    try {
      db.put(AlertDb.Table.AUDIT, k, JSON.writeValueAsBytes(r));
    } catch (Exception e) {
      throw new IllegalStateException("cannot write audit record: " + e, e);
    }
  }

  /**
   * The newest {@code limit} records, newest first; a record that cannot be decoded is skipped.
   *
   * @throws IllegalArgumentException when {@code limit} is not positive
   */
  public List<Record> list(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    List<Record> out = new ArrayList<>();
    db.scanReverse(AlertDb.Table.AUDIT, (k, v) -> {
      try {
        out.add(JSON.readValue(v, Record.class));
      } catch (Exception e) {
        // skip unreadable
      }
      return out.size() < limit;
    });
    return out;
  }
}
