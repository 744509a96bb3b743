package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Builds a {@link StoreAnnouncer}. */
public final class StoreAnnouncerBuilder {
  final String bootstrapServers;
  final String storeGroup;
  final String name;
  final URI url;
  final Supplier<@Nullable String> memberId;
  String topic = ClusterTopics.STORES;
  @Nullable String instanceId;
  Duration interval = Duration.ofSeconds(30);
  final Map<String, Object> overrides = new HashMap<>();

  StoreAnnouncerBuilder(String bootstrapServers, String storeGroup, String name, URI url,
      Supplier<@Nullable String> memberId) {
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    this.storeGroup = requireNonNull(storeGroup, "storeGroup");
    this.name = requireNonNull(name, "name");
    this.url = requireNonNull(url, "url");
    this.memberId = requireNonNull(memberId, "memberId");
    if (storeGroup.isBlank()) {
      throw new IllegalArgumentException("storeGroup: '' (expected: the stores' consumer group)");
    }
    if (name.isBlank()) {
      throw new IllegalArgumentException("name: '' (expected: the store's name in its group)");
    }
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null) {
      throw new IllegalArgumentException("url: " + url + " (expected: http(s)://host:port)");
    }
  }

  /** The topic announced on; {@link ClusterTopics#STORES} by default (tests use their own). */
  public StoreAnnouncerBuilder topic(String topic) {
    this.topic = requireNonNull(topic, "topic");
    return this;
  }

  /** The store consumer's {@code group.instance.id}, carried in the record; none by default. */
  public StoreAnnouncerBuilder instanceId(@Nullable String instanceId) {
    this.instanceId = instanceId;
    return this;
  }

  /** How often the announcement is written again while nothing changed; 30 s by default. */
  public StoreAnnouncerBuilder interval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: >= 100ms)");
    }
    this.interval = interval;
    return this;
  }

  /** A producer setting (security); the serializers cannot be overridden. */
  public StoreAnnouncerBuilder producerProperty(String name, Object value) {
    overrides.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    return this;
  }

  public StoreAnnouncer build() {
    return new DefaultStoreAnnouncer(this);
  }
}
