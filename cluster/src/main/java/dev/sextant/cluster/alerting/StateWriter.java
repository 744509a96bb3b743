package dev.sextant.cluster.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.replication.StateListener;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * The leader's side of replication: each engine write becomes one committed transaction on the
 * state topic before the engine goes on. All leaders of a tenant share one
 * {@code transactional.id}, so {@link #init()} by a new leader fences the previous one: its
 * later writes fail with {@link ProducerFencedException}, which this writer turns into an
 * {@link IllegalStateException} for the engine and a call of {@code onFenced}. Any other failed
 * write does the same: the leader steps down rather than go on with state the topic lacks.
 */
final class StateWriter implements StateListener, AutoCloseable {
  private final String tenant;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Runnable onFenced;
  private volatile boolean fenced;

  StateWriter(Map<String, Object> connection, String topic, String tenant, String clientId,
      Duration timeout, Runnable onFenced) {
    this.tenant = requireNonNull(tenant, "tenant");
    this.topic = requireNonNull(topic, "topic");
    this.onFenced = requireNonNull(onFenced, "onFenced");
    Properties p = new Properties();
    p.putAll(connection);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-state-" + tenant);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sextant.alert." + tenant);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(p);
  }

  /**
   * Registers the transactional id, fencing any older producer with it and aborting its open
   * transaction; blocks up to the timeout.
   */
  void init() {
    producer.initTransactions();
  }

  boolean fenced() {
    return fenced;
  }

  @Override
  public synchronized void changed(String table, byte[] key, byte @Nullable [] value) {
    if (table.equals("audit")) {
      return; // delivery attempts are this node's history, not state the next leader needs
    }
    if (fenced) {
      throw new IllegalStateException("alert leader of tenant " + tenant + " was fenced");
    }
    byte[] k = new StateKey(tenant, table, key).encode();
    try {
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, k, value == null ? null : value.clone()));
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      fenced = true;
      onFenced.run();
      throw new IllegalStateException("alert leader of tenant " + tenant
          + " was fenced by a newer leader: " + e.getMessage(), e);
    } catch (KafkaException e) {
      // The local write is not in the topic: this node's state now differs from what a next
      // leader would start from. Stepping down (and rebuilding from the topic when elected
      // again) is the way back to one history.
      fenced = true;
      try {
        producer.abortTransaction();
      } catch (KafkaException ignored) {
        // the producer is in error; it is closed with the engine
      }
      onFenced.run();
      throw new IllegalStateException("replicating alert state of tenant " + tenant
          + " failed, stepping down: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
