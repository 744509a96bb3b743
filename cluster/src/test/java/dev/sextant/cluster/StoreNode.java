package dev.sextant.cluster;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A store role in a test: a consumer-group member writing into real embedded stores, one per
 * tenant, under its own directory.
 */
final class StoreNode implements AutoCloseable {
  final String name;
  private final Path dir;
  private final Map<String, Storage> tenants = new ConcurrentHashMap<>();
  final DefaultStoreConsumer consumer;
  private volatile String crashTenant;

  StoreNode(String bootstrapServers, String group, String name, Path dir) {
    this(bootstrapServers, group, name, dir, false);
  }

  /**
   * {@code localOffsets}: the member resumes from offsets it keeps in its own store (tenant
   * {@code _offsets}), as the server's store role does.
   */
  StoreNode(String bootstrapServers, String group, String name, Path dir, boolean localOffsets) {
    this.name = name;
    this.dir = dir;
    StoreConsumerBuilder b = StoreConsumer.builder(bootstrapServers, group, this::tenant)
        .clientId(name).sessionTimeout(Duration.ofMillis(2500))
        .retryBackoff(Duration.ofMillis(200));
    if (localOffsets) {
      b.localOffsets(tenants.computeIfAbsent("_offsets",
          t -> EmbeddedStorage.open(dir.resolve(t))).sourcePositions());
    }
    this.consumer = (DefaultStoreConsumer) b.build();
  }

  StoreNode start() {
    consumer.start();
    return this;
  }

  /**
   * Makes the next write of {@code tenant}'s records the last: the consumer stops as a SIGKILL
   * would, after that write is durable and before its offsets are committed.
   */
  void crashOnNextWrite(String tenant) {
    crashTenant = tenant;
  }

  Storage tenant(String tenant) {
    if (tenant.equals(crashTenant)) {
      crashTenant = null;
      consumer.haltSoon();
    }
    return tenants.computeIfAbsent(tenant, t -> EmbeddedStorage.open(dir.resolve(t)));
  }

  /** The spans of {@code traceId} this store holds for {@code tenant}. */
  List<Span> trace(String tenant, String traceId) {
    Storage s = tenants.get(tenant);
    return s == null ? List.of() : s.traceReader().getTrace(traceId);
  }

  /** Every log record of {@code tenant} here. */
  List<LogRecord> logs(String tenant) {
    Storage s = tenants.get(tenant);
    if (s == null) {
      return List.of();
    }
    List<LogRecord> all = new ArrayList<>();
    String cursor = "";
    do {
      var page = s.logReader().search(LogQuery.builder().limit(LogQuery.MAX_LIMIT)
          .cursor(cursor).build());
      all.addAll(page.records());
      cursor = page.hasMore() ? page.nextCursor() : null;
    } while (cursor != null);
    return all;
  }

  /** Samples of metric {@code name} of {@code tenant} here: series labels to timestamps. */
  Map<String, List<Long>> samples(String tenant, String name) {
    Map<String, List<Long>> out = new TreeMap<>();
    Storage s = tenants.get(tenant);
    if (s == null) {
      return out;
    }
    for (Series series : s.metricReader().select(List.of(LabelMatcher.eq("__name__", name)),
        0, Long.MAX_VALUE)) {
      List<Long> ts = new ArrayList<>();
      SampleIterator it = series.samples();
      while (it.next()) {
        ts.add(it.timestamp());
      }
      out.put(series.labels().toString(), ts);
    }
    return out;
  }

  Set<TopicPartition> assignment() {
    return consumer.assignment();
  }

  @Override
  public void close() {
    consumer.close();
    tenants.values().forEach(Storage::close);
  }
}
