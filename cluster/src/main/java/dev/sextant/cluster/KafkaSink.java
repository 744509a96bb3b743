package dev.sextant.cluster;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.metrics.MetricWriter;

/**
 * The collector role's storage: writers that produce to Kafka ({@link ClusterTopics}) instead of
 * storing. A write's future completes once Kafka acknowledged every record of it ({@code
 * acks=all}, idempotent producer): from then on the data survives the collector. It fails with
 * {@link KafkaUnavailableException} (retryable: the collector answers 503 / UNAVAILABLE with a
 * retry hint) when a record was not acknowledged within the delivery timeout, or could not even be
 * queued within the maximum block time because the producer's bounded buffer is full or the
 * topic's metadata is unknown; with {@link IllegalArgumentException} when a span's IDs are invalid
 * or an item is too large for a Kafka record. The items of a write are grouped by partition
 * ({@link Partitioning}) into records of at most the builder's record size; a failed write may
 * have had some of its records acknowledged (see {@link KafkaUnavailableException}).
 *
 * <p>{@link MetricWriter#append} reports every series accepted: series limits are the stores'
 * business in cluster mode, which drop (and count) what they refuse.
 *
 * <p>Thread-safe; the writers may block the calling thread up to the maximum block time (never
 * call them on an event loop). Writes after {@link #close} fail with {@code StorageException}.
 */
public interface KafkaSink extends AutoCloseable {
  /** A sink producing to the brokers at {@code bootstrapServers} ({@code host:port,...}). */
  static KafkaSinkBuilder builder(String bootstrapServers) {
    return new KafkaSinkBuilder(bootstrapServers);
  }

  SpanConsumer spanConsumer();

  LogConsumer logConsumer();

  MetricWriter metricWriter();

  /** Waits up to the delivery timeout for records in flight, then releases the producer. */
  @Override
  void close();
}
