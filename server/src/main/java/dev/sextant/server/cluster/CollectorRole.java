package dev.sextant.server.cluster;

import dev.sextant.cluster.KafkaSink;
import dev.sextant.cluster.KafkaSinkBuilder;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The collector role's storage: storage's writers producing to Kafka through a {@link KafkaSink},
 * each write timed and its failures counted ({@code sextant_cluster_produce_*}). A write
 * completes once Kafka acknowledged it; it fails with the sink's retryable
 * {@code KafkaUnavailableException} (the collector answers 503 / UNAVAILABLE with a retry hint)
 * when Kafka does not. The tenant of a write is the request's, or the one a
 * {@link #metricWriterFor} writer names (RED metrics are flushed outside any request).
 */
public final class CollectorRole implements AutoCloseable {
  private final KafkaSink sink;
  private final ThreadLocal<String> tenantOverride = new ThreadLocal<>();
  private final Counter produced;
  private final Counter errors;
  private final Histogram latency;
  private volatile long lastSuccessNanos = System.nanoTime();
  private volatile long lastFailureNanos = Long.MIN_VALUE;
  private volatile String lastFailure = "";

  /**
   * Starts producing to {@code settings}' brokers; the tenant of a write is
   * {@code requestTenant}'s unless a tenant-bound writer sets it. Creates the topics first when
   * the settings say so (a broker that does not answer is logged, not fatal: writes are refused
   * until it does).
   */
  public CollectorRole(ClusterSettings settings, String clientId, Supplier<String> requestTenant,
      PrometheusRegistry registry) {
    if (settings.createTopics()) {
      Topics.createQuietly(settings);
    }
    KafkaSinkBuilder b = KafkaSink.builder(settings.bootstrapServers()).clientId(clientId)
        .tenant(() -> {
          String t = tenantOverride.get();
          return t != null ? t : requestTenant.get();
        });
    settings.kafkaProperties().forEach(b::producerProperty);
    this.sink = b.build();
    produced = Counter.builder().name("sextant_cluster_produced_writes_total")
        .help("Writes (one per request and signal) Kafka acknowledged").labelNames("signal")
        .register(registry);
    errors = Counter.builder().name("sextant_cluster_produce_errors_total")
        .help("Writes Kafka did not acknowledge (answered 503 / UNAVAILABLE) or refused")
        .labelNames("signal").register(registry);
    latency = Histogram.builder().name("sextant_cluster_produce_latency_seconds")
        .help("From a write's start to Kafka's acknowledgement of all its records")
        .labelNames("signal").classicOnly()
        .classicUpperBounds(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
        .register(registry);
  }

  public SpanConsumer spanConsumer() {
    return spans -> measured("traces", () -> sink.spanConsumer().accept(spans));
  }

  public LogConsumer logConsumer() {
    return records -> measured("logs", () -> sink.logConsumer().accept(records));
  }

  public MetricWriter metricWriter() {
    MetricWriter kafka = sink.metricWriter();
    // Series limits are the stores' business in cluster mode: append reports all accepted.
    return new MetricWriter() {
      @Override
      public CompletableFuture<Void> write(List<TimeSeries> series) {
        return measured("metrics", () -> kafka.write(series));
      }

      @Override
      public void writeMetadata(List<MetricMetadata> metadata) {
        kafka.writeMetadata(metadata);
      }
    };
  }

  /** A metric writer producing as {@code tenant}, for work outside requests (RED metrics). */
  public MetricWriter metricWriterFor(String tenant) {
    MetricWriter w = metricWriter();
    return series -> {
      tenantOverride.set(tenant);
      try {
        return w.write(series); // the sink reads the tenant before it returns
      } finally {
        tenantOverride.remove();
      }
    };
  }

  private CompletableFuture<Void> measured(String signal,
      Supplier<CompletableFuture<Void>> write) {
    long start = System.nanoTime();
    CompletableFuture<Void> f;
    try {
      f = write.get();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete((v, e) -> {
      long now = System.nanoTime();
      if (e == null) {
        produced.labelValues(signal).inc();
        latency.labelValues(signal).observe((now - start) / 1e9);
        lastSuccessNanos = now;
      } else {
        errors.labelValues(signal).inc();
        lastFailureNanos = now;
        lastFailure = String.valueOf(e.getMessage());
      }
    });
  }

  /**
   * Whether Kafka took the last write: true until a write fails, then false until one succeeds
   * again (what {@code /health} reports as the {@code kafka} check).
   */
  public boolean kafkaUp() {
    return lastFailureNanos == Long.MIN_VALUE || lastSuccessNanos - lastFailureNanos > 0;
  }

  /** The last failure's message, or "". */
  public String lastFailure() {
    return lastFailure;
  }

  @Override
  public void close() {
    sink.close();
  }
}
