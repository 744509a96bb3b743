package dev.sextant.cluster;

import dev.sextant.cluster.internal.LogWire;
import dev.sextant.cluster.internal.MetadataWire;
import dev.sextant.cluster.internal.RecordFormat;
import dev.sextant.cluster.internal.SeriesWire;
import dev.sextant.cluster.internal.SpanWire;
import dev.sextant.cluster.internal.WireReader;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.SourcePositions;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one poll's records into the tenants' stores: one write per tenant and signal, all in
 * flight together, then waits for every one. Runs on the consumer's thread only.
 */
final class PollWriter {
  private static final Logger log = LoggerFactory.getLogger(PollWriter.class);
  /** The group of metadata records of {@code sextant.metrics} (not a topic of its own). */
  private static final String METADATA = ClusterTopics.METRICS + "#" + RecordFormat.METADATA_ITEMS;

  private final Function<String, Storage> tenants;
  private final long writeTimeoutMillis;
  private final BooleanSupplier running;
  final AtomicLong skipped = new AtomicLong();
  /** Log records not written again because their tenant's store already held them. */
  final AtomicLong replayed = new AtomicLong();
  /**
   * Per tenant and log partition, the next offset not yet in the tenant's store (read from its
   * {@link SourcePositions} once, then kept here: only this thread writes them).
   */
  private final Map<String, Long> applied = new ConcurrentHashMap<>();

  /** {@code running}: false once the consumer is closing (then a refusal is not skipped). */
  PollWriter(Function<String, Storage> tenants, long writeTimeoutMillis, BooleanSupplier running) {
    this.tenants = tenants;
    this.writeTimeoutMillis = writeTimeoutMillis;
    this.running = running;
  }

  /** One record's items, decoded. */
  private record Decoded(String tenant, String topic, TopicPartition tp, long offset,
      List<?> items) {}

  private record Group(String tenant, String topic) {}

  /**
   * Stores {@code records}: true when every record is durable or skipped as unstorable, false
   * when a write failed retryably and the poll must be read again.
   *
   * @throws UnsupportedFormatException when a record is in a newer format than this code reads
   */
  boolean write(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    Map<Group, List<Decoded>> groups = new LinkedHashMap<>();
    for (TopicPartition tp : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        Decoded d = decode(tp, r);
        if (d != null) {
          groups.computeIfAbsent(new Group(d.tenant(), d.topic()), g -> new ArrayList<>()).add(d);
        }
      }
    }
    boolean done = true;
    Map<Group, CompletableFuture<Void>> writes = new LinkedHashMap<>();
    Map<Group, Storage> stores = new LinkedHashMap<>();
    for (Map.Entry<Group, List<Decoded>> e : groups.entrySet()) {
      Storage store;
      try {
        store = tenants.apply(e.getKey().tenant());
      } catch (RuntimeException refused) {
        if (!running.getAsBoolean()) {
          return false; // the stores are closing under us: not a reason to skip data
        }
        for (Decoded d : e.getValue()) {
          skip(d.tp(), d.offset(), "tenant '" + d.tenant() + "' refused: " + refused);
        }
        continue;
      }
      List<Decoded> group = e.getValue();
      if (e.getKey().topic().equals(ClusterTopics.LOGS)) {
        group = notYetApplied(e.getKey().tenant(), store, group);
        e.setValue(group);
        if (group.isEmpty()) {
          continue;
        }
      }
      stores.put(e.getKey(), store);
      writes.put(e.getKey(), write(e.getKey().tenant(), store, e.getKey().topic(), group));
    }
    for (Map.Entry<Group, CompletableFuture<Void>> e : writes.entrySet()) {
      Throwable failure = await(e.getValue());
      if (failure instanceof IllegalArgumentException) {
        // Something in the group is invalid: store record by record and skip only the bad ones.
        done &= writeEach(stores.get(e.getKey()), groups.get(e.getKey()));
      } else if (failure != null) {
        log.warn("writing {} of tenant '{}' failed, will retry: {}", e.getKey().topic(),
            e.getKey().tenant(), failure.toString());
        done = false;
      }
    }
    return done;
  }

  private boolean writeEach(Storage store, List<Decoded> records) throws InterruptedException {
    boolean done = true;
    for (Decoded d : records) {
      Throwable failure = await(write(d.tenant(), store, d.topic(), List.of(d)));
      if (failure instanceof IllegalArgumentException) {
        skip(d.tp(), d.offset(), "refused by storage: " + failure.getMessage());
      } else if (failure != null) {
        done = false;
      }
    }
    return done;
  }

  /**
   * The records of {@code group} (one tenant's log records) its store does not hold yet: those at
   * or past the tenant's stored position of their partition. A replay after a crash (this
   * store's, or of a poll whose write failed) thus writes no log record twice.
   */
  private List<Decoded> notYetApplied(String tenant, Storage store, List<Decoded> group) {
    List<Decoded> out = new ArrayList<>(group.size());
    for (Decoded d : group) {
      if (d.offset() >= appliedOffset(tenant, store, d.tp())) {
        out.add(d);
      } else {
        replayed.incrementAndGet();
      }
    }
    return out;
  }

  private long appliedOffset(String tenant, Storage store, TopicPartition tp) {
    return applied.computeIfAbsent(tenant + "\n" + tp, k -> {
      SourcePositions positions = positions(store);
      return positions == null ? -1 : positions.position(appliedKey(tp));
    });
  }

  /** The key under which a tenant's store keeps the next offset of {@code tp} it holds. */
  static String appliedKey(TopicPartition tp) {
    return "kafka/applied/" + tp.topic() + "/" + tp.partition();
  }

  private static @Nullable SourcePositions positions(Storage store) {
    try {
      return store.sourcePositions();
    } catch (UnsupportedOperationException e) {
      return null; // a store without positions: a replay may store log records twice
    }
  }

  private CompletableFuture<Void> write(String tenant, Storage store, String topic,
      List<Decoded> records) {
    List<Object> items = new ArrayList<>();
    for (Decoded d : records) {
      items.addAll(d.items());
    }
    SourcePositions positions = topic.equals(ClusterTopics.LOGS) ? positions(store) : null;
    if (positions == null) {
      return write(store, topic, items);
    }
    Map<String, Long> next = new HashMap<>();
    for (Decoded d : records) {
      next.merge(appliedKey(d.tp()), d.offset() + 1, Math::max);
    }
    @SuppressWarnings("unchecked")
    List<LogRecord> logs = (List<LogRecord>) (List<?>) items;
    CompletableFuture<Void> f;
    try {
      f = positions.acceptLogs(logs, next);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    // Runs on the storage's thread; the consumer's thread awaits it before its next poll.
    return f.thenRun(() -> {
      for (Decoded d : records) {
        applied.merge(tenant + "\n" + d.tp(), d.offset() + 1, Math::max);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static CompletableFuture<Void> write(Storage store, String topic, List<?> items) {
    try {
      switch (topic) {
        case ClusterTopics.SPANS:
          return store.spanConsumer().accept((List<Span>) items);
        case ClusterTopics.LOGS:
          return store.logConsumer().accept((List<LogRecord>) items);
        case METADATA:
          // Advisory and kept in memory by the store: nothing to wait for.
          store.metricWriter().writeMetadata((List<MetricMetadata>) items);
          return CompletableFuture.completedFuture(null);
        default:
          return store.metricWriter().write((List<TimeSeries>) items);
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The failure of {@code f} (null: it succeeded) waiting at most the write timeout. */
  private @Nullable Throwable await(CompletableFuture<Void> f) throws InterruptedException {
    try {
      f.get(writeTimeoutMillis, TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      while (t instanceof CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    } catch (TimeoutException e) {
      return new TimeoutException("storage did not confirm within " + writeTimeoutMillis + " ms");
    }
  }

  private @Nullable Decoded decode(TopicPartition tp, ConsumerRecord<byte[], byte[]> r) {
    int version = RecordFormat.version(r.headers());
    if (version > RecordFormat.VERSION) {
      throw new UnsupportedFormatException(tp + " offset " + r.offset() + " is in record format "
          + version + "; this store reads up to " + RecordFormat.VERSION
          + " (upgrade stores before collectors)");
    }
    String tenant = RecordFormat.tenant(r.headers());
    if (version < 1 || tenant == null || r.value() == null) {
      skip(tp, r.offset(), "no " + (version < 1 ? RecordFormat.FORMAT_HEADER
          : tenant == null ? RecordFormat.TENANT_HEADER : "value"));
      return null;
    }
    String kind = r.topic();
    String itemsHeader = RecordFormat.items(r.headers());
    if (itemsHeader != null) {
      if (!r.topic().equals(ClusterTopics.METRICS)
          || !itemsHeader.equals(RecordFormat.METADATA_ITEMS)) {
        skip(tp, r.offset(), "unknown " + RecordFormat.ITEMS_HEADER + " '" + itemsHeader + "'");
        return null;
      }
      kind = METADATA;
    }
    try {
      List<WireReader> readers = RecordFormat.items(r.value());
      List<Object> items = new ArrayList<>(readers.size());
      for (WireReader item : readers) {
        switch (kind) {
          case ClusterTopics.SPANS -> items.add(SpanWire.decode(item));
          case ClusterTopics.LOGS -> items.add(LogWire.decode(item));
          case METADATA -> items.add(MetadataWire.decode(item));
          default -> items.add(SeriesWire.decode(item));
        }
      }
      return new Decoded(tenant, kind, tp, r.offset(), items);
    } catch (RuntimeException garbled) {
      skip(tp, r.offset(), "garbled value: " + garbled);
      return null;
    }
  }

  private void skip(TopicPartition tp, long offset, String why) {
    skipped.incrementAndGet();
    log.error("skipping the record at {} offset {}: {}", tp, offset, why);
  }

  /** A record this code cannot read: stops the consumer rather than skipping data. */
  static final class UnsupportedFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnsupportedFormatException(String message) {
      super(message);
    }
  }
}
