package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.SourcePositions;
import dev.sextant.storage.Storage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Builds a {@link StoreConsumer}. */
public final class StoreConsumerBuilder {
  final String bootstrapServers;
  final String groupId;
  final Function<String, Storage> tenants;
  List<String> topics = ClusterTopics.ALL;
  Duration sessionTimeout = Duration.ofSeconds(10);
  Duration writeTimeout = Duration.ofSeconds(60);
  Duration retryBackoff = Duration.ofSeconds(1);
  String clientId = "sextant-store";
  @Nullable SourcePositions localOffsets;
  final Map<String, Object> overrides = new HashMap<>();

  StoreConsumerBuilder(String bootstrapServers, String groupId,
      Function<String, Storage> tenants) {
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    this.groupId = requireNonNull(groupId, "groupId");
    this.tenants = requireNonNull(tenants, "tenants");
    if (groupId.isBlank()) {
      throw new IllegalArgumentException("groupId: '' (expected: a consumer group name)");
    }
  }

  /** The topics to consume; default all of {@link ClusterTopics#ALL}. */
  public StoreConsumerBuilder topics(List<String> topics) {
    requireNonNull(topics, "topics");
    for (String t : topics) {
      if (!ClusterTopics.ALL.contains(t)) {
        throw new IllegalArgumentException("topics: " + t + " (expected: one of "
            + ClusterTopics.ALL + ")");
      }
    }
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("topics: [] (expected: at least one)");
    }
    this.topics = List.copyOf(topics);
    return this;
  }

  /**
   * How long the group waits for a member that stopped heartbeating (crashed) before its
   * partitions move ({@code session.timeout.ms}; the broker bounds it with
   * {@code group.min.session.timeout.ms}, 6 s by default). Default 10 s.
   */
  public StoreConsumerBuilder sessionTimeout(Duration sessionTimeout) {
    requireNonNull(sessionTimeout, "sessionTimeout");
    if (sessionTimeout.toMillis() < 100) {
      throw new IllegalArgumentException(
          "sessionTimeout: " + sessionTimeout + " (expected: >= 100ms)");
    }
    this.sessionTimeout = sessionTimeout;
    return this;
  }

  /** How long to wait for storage to confirm a poll's writes before retrying them. Default 60 s. */
  public StoreConsumerBuilder writeTimeout(Duration writeTimeout) {
    requireNonNull(writeTimeout, "writeTimeout");
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout: " + writeTimeout + " (expected: > 0)");
    }
    this.writeTimeout = writeTimeout;
    return this;
  }

  /** The pause before re-reading a poll whose writes failed retryably. Default 1 s. */
  public StoreConsumerBuilder retryBackoff(Duration retryBackoff) {
    requireNonNull(retryBackoff, "retryBackoff");
    if (retryBackoff.isNegative()) {
      throw new IllegalArgumentException("retryBackoff: " + retryBackoff + " (expected: >= 0)");
    }
    this.retryBackoff = retryBackoff;
    return this;
  }

  public StoreConsumerBuilder clientId(String clientId) {
    this.clientId = requireNonNull(clientId, "clientId");
    return this;
  }

  /**
   * A consumer setting on top of the member's (security, fetch sizes). {@code group.id},
   * {@code enable.auto.commit} and the deserializers cannot be overridden.
   */
  public StoreConsumerBuilder consumerProperty(String name, Object value) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    if (DefaultStoreConsumer.FIXED.contains(name)) {
      throw new IllegalArgumentException(name + ": fixed by the store consumer");
    }
    overrides.put(name, value);
    return this;
  }

  /**
   * Makes this member resume every partition from offsets it keeps itself, in {@code offsets}
   * (the server passes its default tenant's store), instead of from the group's committed
   * offsets: after each poll's writes are durable, the next offset of each of its partitions is
   * written there (key {@code kafka/next/<topic>/<partition>}); on assignment the member seeks to
   * it, and a partition it has no offset for (it never had it: another store's partition moving
   * here) is read from the beginning of the topic's retention, rebuilding it here. Offsets are
   * still committed to the group, for lag monitoring. Default: unset, the group's offsets.
   */
  public StoreConsumerBuilder localOffsets(SourcePositions offsets) {
    this.localOffsets = requireNonNull(offsets, "offsets");
    return this;
  }

  public StoreConsumer build() {
    return new DefaultStoreConsumer(this);
  }
}
