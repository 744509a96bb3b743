package dev.sextant.agent;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.logs.LogRecordProcessor;

/**
 * Sextant's part of the agent's SDK setup, found by the agent through {@code ServiceLoader}.
 *
 * <ul>
 *   <li>defaults: OTLP gRPC to {@code http://localhost:4317} (or {@code sextant.endpoint} /
 *       {@code SEXTANT_ENDPOINT}) for traces, metrics and logs; a service name; the rate-limited
 *       sampler when {@code sextant.sampler.rate-limit} is set. Any {@code otel.*} setting wins.
 *   <li>correlation IDs: the {@code X-Correlation-ID} propagator rides along with the W3C baggage
 *       propagator (so it is active whenever {@code baggage} is in {@code otel.propagators}, as by
 *       default); spans and log records get a {@code correlation_id} attribute.
 *   <li>HTTP request duration histograms dropped while every trace is sampled: Sextant derives
 *       the same from the spans (see {@link HttpMetricsDefault}).
 * </ul>
 * Set {@code sextant.correlation.enabled=false} to turn the correlation ID feature off.
 */
public final class SextantAutoConfigurationCustomizerProvider
    implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addPropertiesSupplier(
        () -> SextantDefaults.compute(System::getProperty, System::getenv));
    customizer.addPropagatorCustomizer((propagator, config) -> {
      // Customizers see each configured propagator alone; joining the baggage one keeps our
      // extract after baggage's, so an ID that arrived only in baggage is not replaced.
      if (propagator == W3CBaggagePropagator.getInstance() && correlationEnabled(config)) {
        return TextMapPropagator.composite(propagator, CorrelationIdPropagator.INSTANCE);
      }
      return propagator;
    });
    customizer.addTracerProviderCustomizer((builder, config) -> correlationEnabled(config)
        ? builder.addSpanProcessor(new CorrelationIdSpanProcessor()) : builder);
    customizer.addLogRecordProcessorCustomizer((processor, config) -> correlationEnabled(config)
        // First, so the attribute is set before the exporting processor snapshots the record.
        ? LogRecordProcessor.composite(new CorrelationIdLogRecordProcessor(), processor)
        : processor);
    customizer.addMeterProviderCustomizer((builder, config) -> HttpMetricsDefault.apply(builder,
        HttpMetricsDefault.enabled(config.getBoolean(HttpMetricsDefault.PROPERTY),
            config.getString("otel.traces.sampler"))));
  }

  private static boolean correlationEnabled(ConfigProperties config) {
    return config.getBoolean("sextant.correlation.enabled", true);
  }
}
