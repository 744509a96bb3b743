package dev.sextant.server.cluster;

import dev.sextant.cluster.StoreAnnouncer;
import dev.sextant.cluster.StoreAnnouncerBuilder;
import dev.sextant.cluster.StoreConsumer;
import dev.sextant.cluster.StoreConsumerBuilder;
import dev.sextant.server.tenancy.TenantStorage;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The store role: a member of the stores' consumer group writing its Kafka partitions into the
 * node's {@link TenantStorage}, resuming from offsets it keeps itself (in the default tenant's
 * store, written after each poll's data is durable; log records carry their tenant's offsets in
 * their own write batch), and rebuilding from Kafka a partition it never had. Exposes
 * {@code sextant_cluster_*} metrics: partitions owned, consumer lag, records applied, skipped and
 * replayed.
 *
 * <p>Once the node serves its read API ({@link #startAnnouncing()}), the store announces its
 * {@code advertisedUrl} on {@code sextant.stores} ({@link StoreAnnouncer}), so that query and
 * alert nodes without {@code cluster.stores} find it ({@link StoreDiscovery}); {@link #withdraw()}
 * removes the announcement before the node stops serving.
 */
public final class StoreRole implements AutoCloseable {
  private final StoreConsumer consumer;
  private final StoreAnnouncer announcer;

  /**
   * Joins the group and starts consuming into {@code tenants}.
   *
   * @param advertisedUrl where query and alert nodes reach this node's HTTP port
   */
  public StoreRole(ClusterSettings settings, String clientId, URI advertisedUrl,
      TenantStorage tenants, PrometheusRegistry registry, @Nullable Duration sessionTimeout) {
    if (settings.createTopics()) {
      Topics.createQuietly(settings);
    }
    StoreConsumerBuilder b = StoreConsumer.builder(settings.bootstrapServers(),
            settings.storeGroup(), tenants::forTenant)
        .clientId(clientId)
        .localOffsets(tenants.defaultTenant().sourcePositions());
    settings.kafkaProperties().forEach(b::consumerProperty);
    if (settings.instanceId() != null) {
      b.consumerProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId());
    }
    if (sessionTimeout != null) {
      b.sessionTimeout(sessionTimeout);
    }
    consumer = b.build();
    // Unique in the group: the static name, else where the store is reached (two stores bound to
    // 0.0.0.0:8686 on two machines have one client id but two URLs).
    String name = settings.instanceId() != null ? settings.instanceId()
        : advertisedUrl.getRawAuthority();
    StoreAnnouncerBuilder ab = StoreAnnouncer.builder(settings.bootstrapServers(),
            settings.storeGroup(), name, advertisedUrl, consumer::memberId)
        .instanceId(settings.instanceId());
    settings.kafkaProperties().forEach(ab::producerProperty);
    announcer = ab.build();
    GaugeWithCallback.builder().name("sextant_cluster_partitions_owned")
        .help("Kafka partitions this store owns now, per topic").labelNames("topic")
        .callback(c -> {
          Map<String, Integer> n = new TreeMap<>();
          for (TopicPartition tp : consumer.assignment()) {
            n.merge(tp.topic(), 1, Integer::sum);
          }
          n.forEach((topic, count) -> c.call(count, topic));
        }).register(registry);
    GaugeWithCallback.builder().name("sextant_cluster_consumer_lag_records")
        .help("Records between this store's position and the end of each partition it owns")
        .labelNames("topic", "partition")
        .callback(c -> consumer.lag().forEach((tp, lag) ->
            c.call(lag, tp.topic(), String.valueOf(tp.partition()))))
        .register(registry);
    CounterWithCallback.builder().name("sextant_cluster_records_applied_total")
        .help("Kafka records written to storage and committed")
        .callback(c -> c.call(consumer.appliedRecords())).register(registry);
    CounterWithCallback.builder().name("sextant_cluster_records_skipped_total")
        .help("Kafka records skipped as unstorable (garbled, no tenant, refused as invalid)")
        .callback(c -> c.call(consumer.skippedRecords())).register(registry);
    CounterWithCallback.builder().name("sextant_cluster_records_replayed_total")
        .help("Log records read again after a crash or a failed write and not written twice")
        .callback(c -> c.call(consumer.replayedRecords())).register(registry);
    consumer.start();
  }

  public StoreConsumer consumer() {
    return consumer;
  }

  /** Total lag over the partitions owned. */
  public long totalLag() {
    long sum = 0;
    for (long l : consumer.lag().values()) {
      sum += l;
    }
    return sum;
  }

  /** Starts announcing this store: call once its read API is served. */
  public void startAnnouncing() {
    announcer.start();
  }

  /**
   * Withdraws the announcement (a tombstone: query nodes stop reading here at once); call before
   * the node stops serving. Idempotent.
   */
  public void withdraw() {
    announcer.close();
  }

  /**
   * Withdraws the announcement, then leaves the group after committing what is written; the
   * storage stays open (the caller's).
   */
  @Override
  public void close() {
    announcer.close();
    consumer.close();
  }
}
