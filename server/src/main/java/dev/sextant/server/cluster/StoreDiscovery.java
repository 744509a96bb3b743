package dev.sextant.server.cluster;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sextant.cluster.DiscoveredStore;
import dev.sextant.cluster.StoreDirectory;
import dev.sextant.cluster.StoreDirectoryBuilder;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.List;

/**
 * A query or alert node's stores when {@code cluster.stores} is empty: those the stores announce
 * on {@code sextant.stores} while their consumers are in their groups ({@link StoreDirectory}),
 * every group's (zone's) stores. Exposes {@code sextant_cluster_stores_discovered} and the
 * {@code /health} check {@code stores}.
 */
public final class StoreDiscovery implements AutoCloseable {
  private final StoreDirectory directory;

  /** Starts reading the stores' announcements at {@code settings}' Kafka. */
  public StoreDiscovery(ClusterSettings settings, String clientId, PrometheusRegistry registry) {
    StoreDirectoryBuilder b = StoreDirectory.builder(settings.bootstrapServers())
        .clientId(clientId);
    settings.kafkaProperties().forEach(b::clientProperty);
    directory = b.build();
    GaugeWithCallback.builder().name("sextant_cluster_stores_discovered")
        .help("Stores found through Kafka (announced and in their consumer group), all zones")
        .callback(c -> c.call(directory.stores().size())).register(registry);
    CounterWithCallback.builder().name("sextant_cluster_store_announcements_skipped_total")
        .help("Records of the stores' announcement topic skipped as undecodable")
        .callback(c -> c.call(directory.skippedRecords())).register(registry);
    directory.start();
  }

  public StoreDirectory directory() {
    return directory;
  }

  /**
   * {@code /health}'s {@code stores} check: the stores found, with their zones; down (503) while
   * there is none, since no read can be answered.
   */
  public boolean writeHealth(JsonGenerator g) throws IOException {
    List<DiscoveredStore> stores = directory.stores();
    boolean up = !stores.isEmpty();
    g.writeStringField("status", up ? "up" : "down");
    g.writeStringField("source", "kafka");
    g.writeNumberField("count", stores.size());
    g.writeArrayFieldStart("stores");
    for (DiscoveredStore s : stores) {
      g.writeStartObject();
      g.writeStringField("url", s.url().toString());
      g.writeStringField("zone", s.zone());
      g.writeStringField("name", s.name());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("records_skipped", directory.skippedRecords());
    if (!up) {
      g.writeStringField("error", "no store found: none announced on sextant.stores is in its "
          + "consumer group (stores starting, or none running)");
    }
    return up;
  }

  @Override
  public void close() {
    directory.close();
  }
}
