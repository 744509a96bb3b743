package dev.sextant.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.RemoteStorage;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantMetricReader;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.Span;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;
import java.util.List;

/**
 * The query and alert roles' storage on a node that is not a store: every read goes to the
 * stores through {@code remote}, as the tenant of the request being served
 * ({@link TenantContext#current()}; the default tenant outside requests), as
 * {@link dev.sextant.server.tenancy.TenantStorage} does on a store. Writes are refused (the
 * collector role writes through Kafka); pins are not kept here ({@link #pins()} throws
 * {@link UnsupportedOperationException}, which the UI shows as no pins). Closing closes
 * {@code remote}.
 */
final class TenantRemoteStorage implements Storage {
  private final RemoteStorage remote;

  TenantRemoteStorage(RemoteStorage remote) {
    this.remote = requireNonNull(remote, "remote");
  }

  private RemoteStorage current() {
    String tenant = TenantContext.current();
    return tenant.equals(remote.tenant()) ? remote : remote.forTenant(tenant);
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spans -> current().spanConsumer().accept(spans);
  }

  @Override
  public TraceReader traceReader() {
    return new TraceReader() {
      @Override
      public List<Span> getTrace(String traceId) {
        return current().traceReader().getTrace(traceId);
      }

      @Override
      public List<Span> getTrace(String traceId, int limit) {
        return current().traceReader().getTrace(traceId, limit);
      }
    };
  }

  @Override
  public SpanSearch spanSearch() {
    return new SpanSearch() {
      @Override
      public List<TraceSummary> search(TraceQuery q) {
        return current().spanSearch().search(q);
      }

      @Override
      public List<String> services() {
        return current().spanSearch().services();
      }

      @Override
      public List<String> spanNames(String serviceName) {
        return current().spanSearch().spanNames(serviceName);
      }
    };
  }

  @Override
  public LogConsumer logConsumer() {
    return records -> current().logConsumer().accept(records);
  }

  @Override
  public LogReader logReader() {
    return query -> current().logReader().search(query);
  }

  @Override
  public MetricWriter metricWriter() {
    return remote.metricWriter(); // refuses every write, whatever the tenant
  }

  @Override
  public MetricReader metricReader() {
    return new TenantMetricReader(() -> current().metricReader());
  }

  @Override
  public void check() {
    remote.check();
  }

  @Override
  public void close() {
    remote.close();
  }
}
