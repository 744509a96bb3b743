package dev.sextant.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HttpMetricsDefaultTest {
  @Test
  void enabled_offWhileEveryTraceIsSampled() {
    assertThat(HttpMetricsDefault.enabled(null, null)).isFalse();
    assertThat(HttpMetricsDefault.enabled(null, "parentbased_always_on")).isFalse();
    assertThat(HttpMetricsDefault.enabled(null, " ALWAYS_ON ")).isFalse();
  }

  @Test
  void enabled_onWhenSpansAreASample() {
    assertThat(HttpMetricsDefault.enabled(null, RateLimitedSamplerProvider.NAME)).isTrue();
    assertThat(HttpMetricsDefault.enabled(null, "parentbased_traceidratio")).isTrue();
  }

  @Test
  void enabled_propertyWins() {
    assertThat(HttpMetricsDefault.enabled(true, null)).isTrue();
    assertThat(HttpMetricsDefault.enabled(false, RateLimitedSamplerProvider.NAME)).isFalse();
  }

  @Test
  void apply_dropsOnlyTheHttpDurationHistograms() {
    assertThat(recorded(false)).containsExactly("db.client.connections.use_time");
  }

  @Test
  void apply_enabledKeepsThem() {
    assertThat(recorded(true)).containsExactlyInAnyOrder("http.server.request.duration",
        "http.client.request.duration", "db.client.connections.use_time");
  }

  /** The names a real SDK exports after one value on each of three histograms. */
  private static Set<String> recorded(boolean enabled) {
    CollectingReader reader = new CollectingReader();
    SdkMeterProviderBuilder builder = SdkMeterProvider.builder().registerMetricReader(reader);
    try (SdkMeterProvider provider = HttpMetricsDefault.apply(builder, enabled).build()) {
      Meter meter = provider.get("test");
      for (String name : List.of("http.server.request.duration", "http.client.request.duration",
          "db.client.connections.use_time")) {
        meter.histogramBuilder(name).build().record(0.1, Attributes.empty());
      }
      return reader.registration.collectAllMetrics().stream().map(MetricData::getName)
          .collect(Collectors.toSet());
    }
  }

  private static final class CollectingReader implements MetricReader {
    CollectionRegistration registration;

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
