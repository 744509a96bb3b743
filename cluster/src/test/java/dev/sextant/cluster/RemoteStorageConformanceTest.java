package dev.sextant.cluster;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.conformance.StorageConformance;
import dev.sextant.storage.conformance.Tenants;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract, met by the query role's view of a cluster: every read through
 * {@link RemoteStorage} over two store nodes behind their real read APIs, every write to the
 * node owning the item's partition (as Kafka and the stores' consumers would place it). The
 * tenant tests switch the tenant both sides use. Retention is not run here: the nodes are
 * embedded stores, whose retention their own run of the kit covers.
 */
class RemoteStorageConformanceTest extends StorageConformance {
  @TempDir
  Path dir;

  @Override
  protected Storage openEmpty() {
    return new ClusterStorage(new ReadCluster(dir, 2));
  }

  /**
   * Records of the same time on two stores come back in store order, not in reverse order of
   * arrival: there is no arrival order across partitions (docs/cluster-reads.md). Every record
   * still comes once across pages; the equality test pages records of distinct times.
   */
  @Override
  @Disabled("same-time records across stores are ordered by store, not by arrival")
  @Test
  public void logSearch_pagesThroughRecordsOfTheSameTimeLoseNothing() {}

  /** As above: records of the same time on two stores come back in store order. */
  @Override
  @Disabled("same-time records across stores are ordered by store, not by arrival")
  @Test
  public void logSearch_tiesAreInReverseOrderOfArrival() {}

  @Override
  public Tenants tenants() {
    ClusterStorage s = (ClusterStorage) storage();
    return tenant -> {
      String before = s.tenant;
      s.tenant = tenant;
      return () -> s.tenant = before;
    };
  }

  /** Reads through RemoteStorage, writes by partition to the owning node. */
  private static final class ClusterStorage implements Storage {
    final ReadCluster cluster;
    final RemoteStorage remote;
    volatile String tenant = StoreReadService.DEFAULT_TENANT;

    ClusterStorage(ReadCluster cluster) {
      this.cluster = cluster;
      this.remote = cluster.remote().build();
    }

    private RemoteStorage reads() {
      return remote.forTenant(tenant);
    }

    @Override
    public SpanConsumer spanConsumer() {
      return spans -> cluster.writeSpans(tenant, spans);
    }

    @Override
    public TraceReader traceReader() {
      return reads().traceReader();
    }

    @Override
    public SpanSearch spanSearch() {
      return reads().spanSearch();
    }

    @Override
    public LogConsumer logConsumer() {
      return records -> cluster.writeLogs(tenant, records);
    }

    @Override
    public LogReader logReader() {
      return reads().logReader();
    }

    @Override
    public MetricWriter metricWriter() {
      return new MetricWriter() {
        @Override
        public CompletableFuture<Void> write(List<TimeSeries> series) {
          return cluster.writeSeries(tenant, series);
        }

        @Override
        public void writeMetadata(List<MetricMetadata> metadata) {
          cluster.storeOf(0, tenant).metricWriter().writeMetadata(metadata);
        }
      };
    }

    @Override
    public MetricReader metricReader() {
      return reads().metricReader();
    }

    @Override
    public void check() {
      remote.check();
    }

    @Override
    public void close() {
      remote.close();
      cluster.close();
    }
  }
}
