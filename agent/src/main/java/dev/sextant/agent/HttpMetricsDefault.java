package dev.sextant.agent;

import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether the agent's HTTP request duration histograms ({@code http.server.request.duration},
 * {@code http.client.request.duration}) are exported.
 *
 * <p>Sextant derives rate, errors and duration per service, operation and span kind from the
 * spans themselves ({@code traces_span_metrics_*}); its golden signals, service pages and the
 * demo's alert rules read those. The agent's histograms say the same again, at a cost per request
 * in every instrumented process (attributes merged, a histogram recorded) and per series in
 * Sextant's metric store. So they are dropped, with a drop {@link View}, when the span-derived
 * metrics see every request: when this process samples every trace ({@code always_on} or {@code
 * parentbased_always_on}, the default). With any other sampler (e.g. {@code
 * sextant.sampler.rate-limit}) the spans are a subset and the histograms stay. {@code
 * sextant.http-metrics.enabled=true|false} (or {@code SEXTANT_HTTP_METRICS_ENABLED}) decides
 * either way.
 */
final class HttpMetricsDefault {
  static final String PROPERTY = "sextant.http-metrics.enabled";
  static final List<String> INSTRUMENTS =
      List.of("http.server.request.duration", "http.client.request.duration");
  private static final Set<String> EVERY_TRACE = Set.of("always_on", "parentbased_always_on");

  /**
   * @param explicit {@link #PROPERTY} as set, or {@code null} when unset
   * @param sampler {@code otel.traces.sampler} as set, or {@code null} (the SDK's default,
   *     {@code parentbased_always_on})
   */
  static boolean enabled(Boolean explicit, String sampler) {
    if (explicit != null) {
      return explicit;
    }
    return sampler != null && !EVERY_TRACE.contains(sampler.trim().toLowerCase(Locale.ROOT));
  }

  /** Registers the drop views unless {@code enabled}. */
  static SdkMeterProviderBuilder apply(SdkMeterProviderBuilder builder, boolean enabled) {
    if (!enabled) {
      for (String name : INSTRUMENTS) {
        builder.registerView(InstrumentSelector.builder().setName(name).build(),
            View.builder().setAggregation(Aggregation.drop()).build());
      }
    }
    return builder;
  }

  private HttpMetricsDefault() {}
}
