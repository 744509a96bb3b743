package dev.sextant.collector.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Self-monitoring of the ingest path, registered once per JVM in the default Prometheus registry
 * (several collectors in one JVM, as in tests, share these series).
 */
public final class IngestMetrics {
  static final IngestMetrics INSTANCE = new IngestMetrics(PrometheusRegistry.defaultRegistry);

  final Counter received;
  final Counter accepted;
  final Counter rejected;
  final Counter throttled;
  final Counter refused;
  final Histogram requestDuration;
  final Histogram storageWrite;
  final Gauge queueBytes;

  private IngestMetrics(PrometheusRegistry registry) {
    received = Counter.builder().name("sextant_ingest_items_received_total")
        .help("Items (spans, log records, data points) received").labelNames("signal", "tenant")
        .register(registry);
    accepted = Counter.builder().name("sextant_ingest_items_accepted_total")
        .help("Items stored durably").labelNames("signal", "tenant").register(registry);
    rejected = Counter.builder().name("sextant_ingest_items_rejected_total")
        .help("Invalid items rejected (OTLP partial success)").labelNames("signal", "tenant")
        .register(registry);
    throttled = Counter.builder().name("sextant_ingest_items_throttled_total")
        .help("Items refused by the tenant rate limit").labelNames("signal", "tenant")
        .register(registry);
    refused = Counter.builder().name("sextant_ingest_requests_refused_total")
        .help("Requests refused for overload (queue budget, decoders or storage)")
        .labelNames("signal", "reason").register(registry);
    requestDuration = Histogram.builder().name("sextant_ingest_request_duration_seconds")
        .help("Time from request decode to durable acknowledgement")
        .labelNames("signal", "transport").register(registry);
    storageWrite = Histogram.builder().name("sextant_storage_write_duration_seconds")
        .help("Durable storage write latency per request").labelNames("signal").register(registry);
    queueBytes = Gauge.builder().name("sextant_ingest_queue_bytes")
        .help("Bytes of requests accepted but not yet acknowledged").register(registry);
  }
}
