package dev.sextant.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SextantDefaultsTest {
  @Test
  void compute_defaultsToLocalSextantOverGrpc() {
    Map<String, String> d = SextantDefaults.compute(
        Map.of("sun.java.command", "com.example.shop.ShopMain --port 80")::get,
        Map.<String, String>of()::get);
    assertThat(d).containsEntry("otel.exporter.otlp.endpoint", "http://localhost:4317")
        .containsEntry("otel.exporter.otlp.protocol", "grpc")
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.metrics.exporter", "otlp")
        .containsEntry("otel.logs.exporter", "otlp")
        .containsEntry("otel.service.name", "ShopMain")
        .containsEntry("otel.javaagent.add-thread-details", "false")
        .doesNotContainKey("otel.traces.sampler");
  }

  @Test
  void compute_systemPropertyBeatsEnvironment() {
    Map<String, String> d = SextantDefaults.compute(
        Map.of("sextant.endpoint", "http://sextant:4317", "sextant.service.name", "checkout")::get,
        Map.of("SEXTANT_ENDPOINT", "http://other:4317", "SEXTANT_SERVICE_NAME", "other")::get);
    assertThat(d).containsEntry("otel.exporter.otlp.endpoint", "http://sextant:4317")
        .containsEntry("otel.service.name", "checkout");
  }

  @Test
  void compute_readsEnvironment() {
    Map<String, String> d = SextantDefaults.compute(Map.<String, String>of()::get,
        Map.of("SEXTANT_ENDPOINT", "https://sextant:4317", "SEXTANT_SAMPLER_RATE_LIMIT", "5")::get);
    assertThat(d).containsEntry("otel.exporter.otlp.endpoint", "https://sextant:4317")
        .containsEntry("otel.traces.sampler", "sextant_rate_limited");
  }

  @Test
  void compute_leavesServiceNameToResourceAttributes() {
    Map<String, String> d = SextantDefaults.compute(
        Map.of("sun.java.command", "Main",
            "otel.resource.attributes", "env=prod,service.name=x")::get,
        Map.<String, String>of()::get);
    assertThat(d).doesNotContainKey("otel.service.name");
  }

  @Test
  void compute_rejectsEndpointWithoutScheme() {
    assertThatThrownBy(() -> SextantDefaults.compute(
        Map.of("sextant.endpoint", "localhost:4317")::get, Map.<String, String>of()::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("sextant.endpoint: localhost:4317 (expected: an http:// or https:// URL)");
  }

  @Test
  void fromJavaCommand_usesJarNameOrMainClass() {
    assertThat(SextantDefaults.fromJavaCommand("/opt/app/orders-service.jar --x"))
        .isEqualTo("orders-service");
    assertThat(SextantDefaults.fromJavaCommand("C:\\apps\\billing.JAR")).isEqualTo("billing");
    assertThat(SextantDefaults.fromJavaCommand("dev.shop.Checkout")).isEqualTo("Checkout");
    assertThat(SextantDefaults.fromJavaCommand("Main")).isEqualTo("Main");
    assertThat(SextantDefaults.fromJavaCommand("  ")).isNull();
    assertThat(SextantDefaults.fromJavaCommand(null)).isNull();
  }
}
