package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Builds a {@link KafkaSink}; every setting has a default fit for one collector. */
public final class KafkaSinkBuilder {
  final String bootstrapServers;
  Supplier<String> tenant = () -> "default";
  Duration deliveryTimeout = Duration.ofSeconds(3);
  Duration maxBlock = Duration.ofSeconds(1);
  long bufferBytes = 32L << 20;
  int maxRecordBytes = 512 << 10;
  String clientId = "sextant-collector";
  final Map<String, Object> overrides = new HashMap<>();

  KafkaSinkBuilder(String bootstrapServers) {
    requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers: '' (expected: host:port,...)");
    }
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Where the tenant of a write comes from, asked on the writing thread (the server passes its
   * request-scoped tenant). Default: always {@code default}.
   */
  public KafkaSinkBuilder tenant(Supplier<String> tenant) {
    this.tenant = requireNonNull(tenant, "tenant");
    return this;
  }

  /**
   * How long a record may wait for Kafka's acknowledgement, retries included, before its write
   * fails (the producer's {@code delivery.timeout.ms}). Keep it below the collector's write
   * timeout (5 s by default) so that clients hear "Kafka unavailable", not a bare timeout.
   * Default 3 s.
   */
  public KafkaSinkBuilder deliveryTimeout(Duration deliveryTimeout) {
    requireNonNull(deliveryTimeout, "deliveryTimeout");
    if (deliveryTimeout.toMillis() < 100) {
      throw new IllegalArgumentException(
          "deliveryTimeout: " + deliveryTimeout + " (expected: >= 100ms)");
    }
    this.deliveryTimeout = deliveryTimeout;
    return this;
  }

  /**
   * How long a write may block its thread when the buffer is full or the topic's metadata is
   * unknown (the producer's {@code max.block.ms}) before it fails. Default 1 s.
   */
  public KafkaSinkBuilder maxBlock(Duration maxBlock) {
    requireNonNull(maxBlock, "maxBlock");
    if (maxBlock.isNegative()) {
      throw new IllegalArgumentException("maxBlock: " + maxBlock + " (expected: >= 0)");
    }
    this.maxBlock = maxBlock;
    return this;
  }

  /** The producer's buffer of records not yet acknowledged ({@code buffer.memory}). Default 32 MiB. */
  public KafkaSinkBuilder bufferBytes(long bufferBytes) {
    if (bufferBytes < 1 << 20) {
      throw new IllegalArgumentException("bufferBytes: " + bufferBytes + " (expected: >= 1 MiB)");
    }
    this.bufferBytes = bufferBytes;
    return this;
  }

  /**
   * The largest record value the sink packs items into; stays below the broker's
   * {@code message.max.bytes} (1 MiB by default). Default 512 KiB.
   */
  public KafkaSinkBuilder maxRecordBytes(int maxRecordBytes) {
    if (maxRecordBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRecordBytes: " + maxRecordBytes + " (expected: >= 1024)");
    }
    this.maxRecordBytes = maxRecordBytes;
    return this;
  }

  public KafkaSinkBuilder clientId(String clientId) {
    this.clientId = requireNonNull(clientId, "clientId");
    return this;
  }

  /**
   * A producer setting on top of the sink's (security, tuning). {@code acks},
   * {@code enable.idempotence} and the serializers cannot be overridden: the sink's contract rests
   * on them.
   */
  public KafkaSinkBuilder producerProperty(String name, Object value) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    if (DefaultKafkaSink.FIXED.contains(name)) {
      throw new IllegalArgumentException(name + ": fixed by the sink (acks=all, idempotent)");
    }
    overrides.put(name, value);
    return this;
  }

  public KafkaSink build() {
    if (maxBlock.compareTo(deliveryTimeout) >= 0) {
      throw new IllegalArgumentException("maxBlock: " + maxBlock
          + " (expected: < deliveryTimeout, " + deliveryTimeout + ")");
    }
    return new DefaultKafkaSink(this);
  }
}
