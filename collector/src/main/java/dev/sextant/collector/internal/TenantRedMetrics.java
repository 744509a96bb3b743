package dev.sextant.collector.internal;

import static java.util.Objects.requireNonNull;

import dev.sextant.collector.red.RedMetrics;
import dev.sextant.storage.Span;
import dev.sextant.storage.metrics.MetricWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Span-derived RED metrics ({@link RedMetrics}) kept per tenant and written, every interval and
 * once more at close, into that tenant's metric writer: one tenant's services never show up in
 * another's series, and each tenant has its own bound on label combinations. Without per-tenant
 * writers, every tenant's spans count into one set written to the one writer.
 */
public final class TenantRedMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TenantRedMetrics.class);
  /** The key of the one set kept when there are no per-tenant writers. */
  private static final String ALL = "";

  private final Function<String, MetricWriter> writers;
  private final boolean perTenant;
  private final long intervalMillis;
  private final Map<String, RedMetrics> byTenant = new ConcurrentHashMap<>();
  private final ScheduledExecutorService flusher;

  /**
   * Writes every {@code intervalMillis} (> 0) through {@code writers}, which gives the writer of
   * a tenant; {@code perTenant} false keeps one set for all tenants, written to
   * {@code writers.apply(DEFAULT)}.
   */
  public TenantRedMetrics(Function<String, MetricWriter> writers, boolean perTenant,
      long intervalMillis) {
    this.writers = requireNonNull(writers, "writers");
    if (intervalMillis <= 0) {
      throw new IllegalArgumentException("intervalMillis: " + intervalMillis + " (expected: > 0)");
    }
    this.perTenant = perTenant;
    this.intervalMillis = intervalMillis;
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sextant-red-metrics");
      t.setDaemon(true);
      return t;
    });
    flusher.scheduleAtFixedRate(this::flushAll, intervalMillis, intervalMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Counts {@code spans} of {@code tenant} (called once they are durable). */
  public void record(String tenant, List<Span> spans) {
    if (spans.isEmpty()) {
      return;
    }
    byTenant.computeIfAbsent(perTenant ? tenant : ALL, t -> new RedMetrics()).record(spans);
  }

  private void flushAll() {
    byTenant.forEach((tenant, red) -> {
      try {
        red.flush(writer(tenant)).get(intervalMillis, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("writing span metrics{} failed: {}",
            perTenant ? " of tenant '" + tenant + "'" : "", e.toString());
      }
    });
  }

  private MetricWriter writer(String tenant) {
    return writers.apply(perTenant ? tenant : Tenants.DEFAULT);
  }

  /** Stops the schedule and writes the last totals of every tenant (waiting up to 10 s each). */
  @Override
  public void close() {
    flusher.shutdownNow();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byTenant.forEach((tenant, red) -> {
      try {
        red.flush(writer(tenant)).get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("final span metrics flush failed: {}", e.toString());
      }
    });
  }
}
