package dev.sextant.cluster.alerting;

import dev.sextant.alert.replication.StateListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of the state topic, read continuously from its first record (committed
 * transactions only) into memory: every tenant's latest value per entry. A new leader calls
 * {@link #catchUp} and then {@link #forEach} to rebuild its engine's directory. Alert state is
 * small (alerts, silences, notification log, undelivered pages), so memory holds it.
 */
final class StateReplica implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateReplica.class);

  private final TopicPartition tp;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;
  private final Map<String, Map<ByteBuffer, byte[]>> byTenant = new ConcurrentHashMap<>();
  private final Thread thread;
  private final Object progress = new Object();
  private long position; // guarded by progress
  private volatile long lag = -1;
  private volatile boolean running = true;
  private boolean started;

  StateReplica(Map<String, Object> connection, String topic, String clientId) {
    this.tp = new TopicPartition(topic, 0);
    Properties p = new Properties();
    p.putAll(connection);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-state");
    // Only what a leader committed: an aborted or fenced leader's writes never count.
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(p);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    Properties a = new Properties();
    a.putAll(connection);
    a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-state-admin");
    this.admin = Admin.create(a);
    this.thread = new Thread(this::run, "sextant-alert-state-replica");
    thread.setDaemon(true);
  }

  synchronized void start() {
    started = true;
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            apply(r);
          }
          long pos = consumer.position(tp);
          lag = consumer.currentLag(tp).orElse(lag);
          synchronized (progress) {
            position = pos;
            progress.notifyAll();
          }
        } catch (WakeupException e) {
          return;
        } catch (KafkaException e) {
          // Broker away: keep the copy and keep trying; a leader's catch-up waits meanwhile.
          log.warn("reading the alert state topic failed, retrying: {}", e.toString());
        }
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    StateKey k;
    try {
      k = StateKey.decode(r.key());
    } catch (IllegalArgumentException e) {
      log.warn("skipping alert state record at offset {}: {}", r.offset(), e.getMessage());
      return;
    }
    Map<ByteBuffer, byte[]> m = byTenant.computeIfAbsent(k.tenant, t -> new ConcurrentHashMap<>());
    ByteBuffer key = ByteBuffer.wrap(r.key());
    if (r.value() == null) {
      m.remove(key);
    } else {
      m.put(key, r.value());
    }
  }

  /**
   * Returns once this copy holds every transaction committed to the topic before the call (its
   * last stable offset). A new leader calls it after fencing the old one, so nothing the old
   * leader wrote can still arrive.
   *
   * @throws TimeoutException when the copy did not get there within {@code timeout}
   */
  void catchUp(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long end;
    try {
      end = admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
              new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .partitionResult(tp).get(timeout.toMillis(), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end of " + tp + ": " + e.getCause(),
          e.getCause());
    }
    synchronized (progress) {
      while (position < end) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("alert state copy at offset " + position + " of " + end
              + " after " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      }
    }
  }

  /** Hands {@code sink} every live entry of {@code tenant}. */
  void forEach(String tenant, StateListener sink) {
    Map<ByteBuffer, byte[]> m = byTenant.getOrDefault(tenant, Map.of());
    m.forEach((k, v) -> {
      StateKey key = StateKey.decode(k.array());
      sink.changed(key.table, key.key(), v);
    });
  }

  /**
   * Records between this copy and the end of the topic as of the last read (committed ones:
   * the copy reads {@code read_committed}), or -1 before the first read.
   */
  long lag() {
    return lag;
  }

  /** How many live entries {@code tenant} has in this copy. */
  int size(String tenant) {
    return byTenant.getOrDefault(tenant, Map.of()).size();
  }

  @Override
  public void close() {
    running = false;
    synchronized (this) {
      if (!started) {
        started = true; // a later start must not run on the closed consumer
        thread.interrupt();
        consumer.close(Duration.ZERO);
        admin.close(Duration.ZERO);
        return;
      }
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
