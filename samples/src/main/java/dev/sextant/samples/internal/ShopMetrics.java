package dev.sextant.samples.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The RED metrics every shop service exposes on {@code /metrics}: {@code http_requests_total},
 * {@code http_errors_total} (5xx) and {@code http_request_duration_seconds}, labelled by method,
 * route template and status. Services register their own extra metrics on {@link #registry()}.
 */
public final class ShopMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Counter errors;
  private final Histogram duration;

  public ShopMetrics() {
    // No exemplars: the text format the scraper asks for has no place for them anyway.
    requests = Counter.builder().name("http_requests_total").help("HTTP requests served")
        .labelNames("method", "route", "status").withoutExemplars().register(registry);
    errors = Counter.builder().name("http_errors_total").help("HTTP requests answered with 5xx")
        .labelNames("method", "route", "status").withoutExemplars().register(registry);
    duration = Histogram.builder().name("http_request_duration_seconds")
        .help("HTTP request duration").labelNames("method", "route").classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .withoutExemplars().register(registry);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public void record(String method, String route, int status, long nanos) {
    String s = Integer.toString(status);
    requests.labelValues(method, route, s).inc();
    if (status >= 500) {
      errors.labelValues(method, route, s).inc();
    }
    duration.labelValues(method, route).observe(nanos / 1e9);
  }
}
