package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * The rule for Kafka client settings a user passes to every client of a node (config
 * {@code cluster.kafka.properties}): how to reach the brokers ({@code security.protocol},
 * {@code ssl.*}, {@code sasl.*}) and client tuning Sextant does not fix. The settings its
 * guarantees rest on (acknowledgement, idempotence, transactions, group membership, offsets, the
 * serializers) and the ones it derives from its own config are refused.
 */
public final class KafkaConnection {
  /** Keys a user may not set, each with the reason Sextant sets it itself. */
  public static final Set<String> RESERVED = Set.of("bootstrap.servers", "client.id", "acks",
      "enable.idempotence", "transactional.id", "group.id", "group.instance.id",
      "group.protocol", "enable.auto.commit", "auto.offset.reset", "isolation.level",
      "partition.assignment.strategy", "key.serializer", "value.serializer",
      "key.deserializer", "value.deserializer");

  private KafkaConnection() {}

  /**
   * Checks one user setting.
   *
   * @throws IllegalArgumentException naming the key when Sextant sets it itself or the value is
   *     blank
   */
  public static void check(String name, Object value) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException(name + ": set by Sextant (expected: a connection "
          + "setting such as security.protocol, ssl.*, sasl.*)");
    }
    if (name.isBlank() || value.toString().isBlank()) {
      throw new IllegalArgumentException("'" + name + "': '" + value
          + "' (expected: a Kafka client setting and its value)");
    }
  }
}
