package dev.sextant.server.tenancy;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.SampleBatch;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A {@link Storage} that sends every call, when it is made, to the store of the tenant of the
 * request being served ({@link TenantContext#current()}; the default tenant outside requests), so
 * components built on one {@code Storage} are isolated per tenant without knowing about tenants.
 * Subclasses say where a tenant's store is ({@link #current()}) and may wrap writes
 * ({@link #write}); {@link #check()} and {@link #close()} are theirs to define.
 */
public abstract class TenantRoutedStorage implements Storage {
  /** The current tenant's store; called on every call, so it must be cheap once open. */
  protected abstract Storage current();

  /** Runs a write on the current tenant's store; as is by default. */
  protected <T> CompletableFuture<T> write(Supplier<CompletableFuture<T>> write) {
    return write.get();
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spans -> write(() -> current().spanConsumer().accept(spans));
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
        return current().traceReader().getTrace(traceId, limit); // the store stops there
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
    return records -> write(() -> current().logConsumer().accept(records));
  }

  @Override
  public LogReader logReader() {
    return query -> current().logReader().search(query);
  }

  @Override
  public MetricWriter metricWriter() {
    return new MetricWriter() {
      @Override
      public CompletableFuture<Void> write(
          List<TimeSeries> series) {
        return TenantRoutedStorage.this.write(() -> current().metricWriter().write(series));
      }

      @Override
      public CompletableFuture<AppendResult>
          append(List<TimeSeries> series) {
        return TenantRoutedStorage.this.write(() -> current().metricWriter().append(series));
      }

      @Override
      public CompletableFuture<AppendResult> append(SampleBatch batch) {
        return TenantRoutedStorage.this.write(() -> current().metricWriter().append(batch));
      }

      @Override
      public void writeMetadata(List<MetricMetadata> metadata) {
        current().metricWriter().writeMetadata(metadata);
      }
    };
  }

  @Override
  public MetricReader metricReader() {
    return new TenantMetricReader(() -> current().metricReader());
  }

  @Override
  public Pins pins() {
    return new Pins() {
      @Override
      public Pin pin(PinRequest request, long nowMillis) {
        return current().pins().pin(request, nowMillis);
      }

      @Override
      public boolean unpin(String id) {
        return current().pins().unpin(id);
      }

      @Override
      public List<Pin> list() {
        return current().pins().list();
      }

      @Override
      public int resolve(String incidentId, long atMillis) {
        return current().pins().resolve(incidentId, atMillis);
      }
    };
  }
}
