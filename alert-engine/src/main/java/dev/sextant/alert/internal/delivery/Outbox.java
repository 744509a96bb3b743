package dev.sextant.alert.internal.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.alert.internal.store.AlertDb;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The durable outbox: a delivery is synced to RocksDB before {@link #enqueue} returns and stays
 * there until it succeeded or failed permanently. Entries are kept in enqueue order.
 */
public final class Outbox {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A pending delivery and its retry state. */
  public record Entry(long id, Delivery delivery, int attempts, long nextAttemptAt, long createdAt) {}

  /** {@code integration} is null in entries written before receivers had several. */
  private record Stored(long id, String receiver, String url, String dedupKey, String body,
      int attempts, long nextAttemptAt, long createdAt, String integration) {}

  private final AlertDb db;
  private final AtomicLong seq;

  public Outbox(AlertDb db) {
    this.db = requireNonNull(db, "db");
    long[] max = {0};
    db.scanReverse(AlertDb.Table.OUTBOX, (k, v) -> {
      max[0] = ByteBuffer.wrap(k).getLong();
      return false;
    });
    byte[] m = db.get(AlertDb.Table.META, "outbox.seq".getBytes(UTF_8));
    long persisted = m == null ? 0 : ByteBuffer.wrap(m).getLong();
    this.seq = new AtomicLong(Math.max(max[0], persisted));
  }

  /** Durably adds a delivery, due now. */
  public Entry enqueue(Delivery d, Instant now) {
    long id = seq.incrementAndGet();
    db.put(AlertDb.Table.META, "outbox.seq".getBytes(UTF_8), ByteBuffer.allocate(8).putLong(id).array());
    Entry e = new Entry(id, d, 0, now.toEpochMilli(), now.toEpochMilli());
    put(e);
    return e;
  }

  void put(Entry e) {
    Delivery d = e.delivery();
    try {
      db.put(AlertDb.Table.OUTBOX, key(e.id()), JSON.writeValueAsBytes(new Stored(e.id(),
          d.receiver(), d.url(), d.dedupKey(), d.body(), e.attempts(), e.nextAttemptAt(),
          e.createdAt(), d.integration())));
    } catch (Exception ex) {
      throw new IllegalStateException("cannot write outbox entry " + e.id() + ": " + ex, ex);
    }
  }

  void remove(long id) {
    db.delete(AlertDb.Table.OUTBOX, key(id));
  }

  /** All pending entries in enqueue order. */
  public List<Entry> pending() {
    List<Entry> out = new ArrayList<>();
    db.scan(AlertDb.Table.OUTBOX, (k, v) -> {
      try {
        Stored s = JSON.readValue(v, Stored.class);
        out.add(new Entry(s.id(), new Delivery(s.receiver(), s.url(), s.dedupKey(), s.body(),
            s.integration()),
            s.attempts(), s.nextAttemptAt(), s.createdAt()));
      } catch (Exception e) {
        // Unreadable entries are skipped rather than blocking the queue.
      }
      return true;
    });
    return out;
  }

  private static byte[] key(long id) {
    return ByteBuffer.allocate(8).putLong(id).array();
  }
}
