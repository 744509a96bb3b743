package dev.sextant.cluster;

import dev.sextant.storage.SourcePositions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultStoreConsumer implements StoreConsumer {
  private static final Logger log = LoggerFactory.getLogger(DefaultStoreConsumer.class);
  static final Set<String> FIXED = Set.of(ConsumerConfig.GROUP_ID_CONFIG,
      ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
      ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
  private static final Duration POLL = Duration.ofMillis(200);

  private final StoreConsumerBuilder config;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final PollWriter writer;
  private final Thread thread;
  /** Opened by close and halt: ends a back-off early. */
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
  /** Written to storage, not yet committed: only between a poll's write and its commit. */
  private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
  private final AtomicLong applied = new AtomicLong();
  private volatile Map<TopicPartition, Long> lag = Map.of();
  private volatile Set<TopicPartition> assignment = Set.of();
  private volatile @Nullable String memberId;
  private volatile boolean running = true;
  private volatile boolean halted;
  private volatile @Nullable Throwable failure;
  private boolean started;

  DefaultStoreConsumer(StoreConsumerBuilder b) {
    this.config = b;
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, b.clientId);
    // A new group starts at the beginning: nothing a collector got acknowledged is skipped.
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    // Range gives partition i of every topic to the same member: a trace's spans and its logs
    // (both keyed by trace ID, topics of equal partition counts) end up in one store.
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
    long session = b.sessionTimeout.toMillis();
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(50, session / 4));
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // Bounds a poll's bytes (records are at most the sink's 512 KiB by default).
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 << 20);
    p.putAll(b.overrides);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(p);
    this.writer = new PollWriter(b.tenants, b.writeTimeout.toMillis(), () -> running);
    this.thread = new Thread(this::run, "sextant-store-consumer-" + b.clientId);
  }

  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(config.topics, new Rebalance());
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (records.isEmpty()) {
          continue;
        }
        if (!writer.write(records)) {
          if (running) {
            rewind(records);
          }
          continue;
        }
        if (halted) {
          return; // a simulated crash: written, never committed
        }
        for (TopicPartition tp : records.partitions()) {
          var list = records.records(tp);
          uncommitted.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        if (!saveLocalOffsets()) {
          // Written, but the resume point is not: reading the poll again duplicates nothing
          // (spans and samples dedupe, log records are filtered by their tenant's positions).
          uncommitted.clear();
          rewind(records);
          continue;
        }
        commit(uncommitted);
        updateLag();
        applied.addAndGet(records.count());
      }
    } catch (WakeupException | InterruptedException e) {
      // closing or halting
    } catch (RuntimeException e) {
      failure = e;
      log.error("store consumer {} stopped", config.clientId, e);
    } finally {
      closeConsumer();
    }
  }

  /** After a poll's writes: its partitions' next offsets, durably, where this member resumes. */
  private boolean saveLocalOffsets() throws InterruptedException {
    SourcePositions local = config.localOffsets;
    if (local == null) {
      return true;
    }
    Map<String, Long> next = new HashMap<>();
    uncommitted.forEach((tp, o) -> next.put(nextKey(tp), o.offset()));
    try {
      local.acceptLogs(List.of(), next).get(config.writeTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("saving local offsets {} failed, will read the poll again: {}", next,
          e.toString());
      return false;
    }
  }

  static String nextKey(TopicPartition tp) {
    return "kafka/next/" + tp.topic() + "/" + tp.partition();
  }

  private void updateLag() {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      consumer.currentLag(tp).ifPresent(l -> out.put(tp, l));
    }
    lag = Map.copyOf(out);
  }

  /** Reads the poll's partitions again from their first record, after a pause. */
  private void rewind(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    for (TopicPartition tp : records.partitions()) {
      ConsumerRecord<byte[], byte[]> first = records.records(tp).get(0);
      consumer.seek(tp, first.offset());
    }
    stopping.await(config.retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
      offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // The group moved on (a rebalance while we wrote): the new owner reads these records again.
      log.warn("commit of {} failed; the records will be read again: {}", offsets, e.toString());
    }
    offsets.clear();
  }

  private void closeConsumer() {
    try {
      if (halted) {
        // As a killed process: no commit, no LeaveGroup; the group notices by the session timeout.
        consumer.close(CloseOptions.groupMembershipOperation(
            CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ZERO));
      } else {
        consumer.close(Duration.ofSeconds(5));
      }
    } catch (RuntimeException e) {
      log.warn("closing the Kafka consumer failed: {}", e.toString());
    }
    assignment = Set.of();
    memberId = null;
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata o = uncommitted.remove(tp);
        if (o != null) {
          written.put(tp, o);
        }
      }
      if (!halted) {
        commit(written);
      }
      assignment = Set.copyOf(consumer.assignment());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      SourcePositions local = config.localOffsets;
      if (local != null) {
        List<TopicPartition> rebuild = new ArrayList<>();
        for (TopicPartition tp : partitions) {
          long next = local.position(nextKey(tp));
          if (next >= 0) {
            consumer.seek(tp, next);
          } else {
            rebuild.add(tp);
          }
        }
        if (!rebuild.isEmpty()) {
          log.info("{} rebuilds {} from the beginning (no local offset)", config.clientId,
              rebuild);
          consumer.seekToBeginning(rebuild);
        }
      }
      assignment = Set.copyOf(consumer.assignment());
      String id = consumer.groupMetadata().memberId();
      memberId = id.isEmpty() ? null : id;
      log.info("{} assigned {}", config.clientId, partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(uncommitted::remove);
      assignment = Set.copyOf(consumer.assignment());
      memberId = null; // out of the group: the next assignment brings a member id again
    }
  }

  @Override
  public Set<TopicPartition> assignment() {
    return assignment;
  }

  @Override
  public @Nullable String memberId() {
    return memberId;
  }

  @Override
  public Map<TopicPartition, Long> committed() {
    return Map.copyOf(committed);
  }

  @Override
  public long appliedRecords() {
    return applied.get();
  }

  @Override
  public long skippedRecords() {
    return writer.skipped.get();
  }

  @Override
  public long replayedRecords() {
    return writer.replayed.get();
  }

  @Override
  public Map<TopicPartition, Long> lag() {
    return lag;
  }

  @Override
  public @Nullable Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    stop(false);
  }

  /**
   * Test hook: stops as a SIGKILL would, after the current write but before its commit, without
   * leaving the group.
   */
  void halt() {
    stop(true);
  }

  /**
   * Test hook: as {@link #halt()}, without waiting; callable on the consumer's own thread (in the
   * middle of a write, which then completes and is never committed).
   */
  void haltSoon() {
    halted = true;
    running = false;
    stopping.countDown();
    consumer.wakeup();
  }

  /** Whether the consumer's thread still runs. */
  boolean isAlive() {
    return thread.isAlive();
  }

  private void stop(boolean crash) {
    synchronized (this) {
      if (!started) {
        started = true;
        consumer.close(Duration.ZERO);
        return;
      }
    }
    if (crash) {
      halted = true;
    }
    running = false;
    stopping.countDown();
    if (crash) {
      consumer.wakeup();
    }
    try {
      thread.join(TimeUnit.MILLISECONDS.convert(config.writeTimeout) + 10_000);
      if (thread.isAlive()) {
        consumer.wakeup();
        thread.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
