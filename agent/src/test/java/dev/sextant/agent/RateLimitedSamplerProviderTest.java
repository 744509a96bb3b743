package dev.sextant.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitedSamplerProviderTest {
  private final RateLimitedSamplerProvider provider = new RateLimitedSamplerProvider();

  @Test
  void createSampler_readsSextantPropertyFirst() {
    assertThat(provider.createSampler(config(Map.of("sextant.sampler.rate-limit", "5",
        "otel.traces.sampler.arg", "7"))).getDescription()).contains("5.0/s");
    assertThat(provider.createSampler(config(Map.of("otel.traces.sampler.arg", "7")))
        .getDescription()).contains("ParentBased").contains("7.0/s");
    assertThat(provider.createSampler(config(Map.of())).getDescription()).contains("10.0/s");
    assertThat(provider.getName()).isEqualTo("sextant_rate_limited");
  }

  @Test
  void createSampler_rejectsBadRate() {
    assertThatThrownBy(() -> provider.createSampler(
        config(Map.of("sextant.sampler.rate-limit", "-1"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("sextant.sampler.rate-limit: -1 (expected: a number > 0)");
    assertThatThrownBy(() -> provider.createSampler(
        config(Map.of("otel.traces.sampler.arg", "lots"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("otel.traces.sampler.arg: lots (expected: a number > 0)");
  }

  private static DefaultConfigProperties config(Map<String, String> properties) {
    return DefaultConfigProperties.createFromMap(properties);
  }
}
