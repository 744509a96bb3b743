package dev.sextant.cluster;

import com.linecorp.armeria.server.Server;
import dev.sextant.cluster.internal.LogWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Store nodes in this JVM without Kafka: each keeps an embedded store per tenant in a temporary
 * directory, serves it through a real Armeria server running {@link StoreReadService} on an
 * ephemeral loopback port, and owns the partitions {@code p % nodes == index} of
 * {@value #PARTITIONS}. Writes go where Kafka would put them: to the owner of the item's
 * partition ({@link Partitioning}), as a store consuming its partitions would write them.
 */
final class ReadCluster implements AutoCloseable {
  static final int PARTITIONS = 6;

  private final List<Node> nodes = new ArrayList<>();

  ReadCluster(Path dir, int n) {
    for (int i = 0; i < n; i++) {
      nodes.add(new Node(dir.resolve("store-" + i), i, n));
    }
  }

  List<URI> uris() {
    return nodes.stream().map(Node::uri).toList();
  }

  URI uri(int node) {
    return nodes.get(node).uri();
  }

  /** A client over every node, routing trace reads by partition. */
  RemoteStorageBuilder remote() {
    return RemoteStorage.builder(uris()).partitions(PARTITIONS);
  }

  /** Stops node {@code i}'s server (its data stays). */
  void stop(int i) {
    nodes.get(i).server.stop().join();
  }

  int ownerOf(int partition) {
    return partition % nodes.size();
  }

  CompletableFuture<Void> writeSpans(String tenant, List<Span> spans) {
    // As the collector's KafkaSink does: a bad span fails the call before any of it is written.
    try {
      for (Span s : spans) {
        Ids.checkTraceId("traceId", s.traceId());
        Ids.checkSpanId("spanId", s.spanId());
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return route(spans, s -> Partitioning.partition(Partitioning.traceKey(s.traceId()),
        PARTITIONS), (st, part) -> st.spanConsumer().accept(part), tenant);
  }

  CompletableFuture<Void> writeLogs(String tenant, List<LogRecord> records) {
    // The collector's KafkaSink validates a whole call before producing any of it: a bad record
    // fails the call and stores nothing, as on one store.
    try {
      for (LogRecord r : records) {
        if (!r.traceId().isEmpty()) {
          Ids.checkTraceId("traceId", r.traceId());
        }
        if (!r.spanId().isEmpty()) {
          Ids.checkSpanId("spanId", r.spanId());
        }
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return route(records, r -> {
      if (!r.traceId().isEmpty()) {
        return Partitioning.partition(Partitioning.traceKey(r.traceId()), PARTITIONS);
      }
      WireWriter w = new WireWriter(128);
      LogWire.encode(r, w);
      return Partitioning.partition(w.toByteArray(), PARTITIONS);
    }, (st, part) -> st.logConsumer().accept(part), tenant);
  }

  CompletableFuture<Void> writeSeries(String tenant, List<TimeSeries> series) {
    return route(series, s -> Partitioning.partition(Partitioning.seriesKey(s.labels()),
        PARTITIONS), (st, part) -> st.metricWriter().write(part), tenant);
  }

  Storage storeOf(int node, String tenant) {
    return nodes.get(node).tenant(tenant);
  }

  private <T> CompletableFuture<Void> route(List<T> items, ToIntFunction<T> partition,
      Writer<T> writer, String tenant) {
    Map<Integer, List<T>> byNode = new HashMap<>();
    for (T item : items) {
      byNode.computeIfAbsent(ownerOf(partition.applyAsInt(item)), k -> new ArrayList<>())
          .add(item);
    }
    List<CompletableFuture<?>> writes = new ArrayList<>();
    byNode.forEach((node, part) -> {
      try {
        writes.add(writer.write(nodes.get(node).tenant(tenant), part));
      } catch (StorageException closed) {
        writes.add(CompletableFuture.failedFuture(closed));
      }
    });
    return CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0]));
  }

  @FunctionalInterface
  private interface Writer<T> {
    CompletableFuture<?> write(Storage storage, List<T> items);
  }

  @Override
  public void close() {
    // Servers stop at once: each stop takes a while, even without a graceful period.
    CompletableFuture.allOf(nodes.stream().map(n -> n.server.stop())
        .toArray(CompletableFuture<?>[]::new)).join();
    nodes.forEach(Node::close);
  }

  /** One store node: its tenants' stores and its read API's server. */
  private static final class Node implements AutoCloseable {
    final Path dir;
    final Map<String, Storage> tenants = new ConcurrentHashMap<>();
    final Server server;
    final URI uri;
    volatile boolean closed;

    Node(Path dir, int index, int nodes) {
      this.dir = dir;
      Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
      for (int p = index; p < PARTITIONS; p += nodes) {
        for (String topic : ClusterTopics.ALL) {
          owned.add(new TopicPartition(topic, p));
        }
      }
      Function<String, Storage> stores = this::tenant;
      server = Server.builder()
          .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
          .serviceUnder(StoreReadService.DEFAULT_PREFIX,
              StoreReadService.builder(stores).partitions(() -> owned).build())
          .build();
      server.start().join();
      uri = URI.create("http://127.0.0.1:" + server.activeLocalPort()
          + StoreReadService.DEFAULT_PREFIX);
    }

    URI uri() {
      return uri;
    }

    Storage tenant(String tenant) {
      if (closed) {
        throw new StorageException("store node closed");
      }
      return tenants.computeIfAbsent(tenant, t -> EmbeddedStorage.open(dir.resolve(t)));
    }

    @Override
    public void close() {
      closed = true;
      server.stop().join();
      tenants.values().forEach(Storage::close);
    }
  }
}
