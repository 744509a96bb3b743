package dev.sextant.agent;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSamplerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * {@code otel.traces.sampler=sextant_rate_limited}: a parent-based sampler whose roots pass a token
 * bucket of N new traces per second. N comes from {@code sextant.sampler.rate-limit}, else {@code
 * otel.traces.sampler.arg}, else {@value #DEFAULT_RATE}. N must be a finite number above 0.
 */
public final class RateLimitedSamplerProvider implements ConfigurableSamplerProvider {
  /** The name to use in {@code otel.traces.sampler}. */
  public static final String NAME = "sextant_rate_limited";
  static final String RATE_PROPERTY = "sextant.sampler.rate-limit";
  static final double DEFAULT_RATE = 10;

  @Override
  public Sampler createSampler(ConfigProperties config) {
    String property = RATE_PROPERTY;
    String raw = config.getString(RATE_PROPERTY);
    if (raw == null) {
      property = "otel.traces.sampler.arg";
      raw = config.getString(property);
    }
    double rate = DEFAULT_RATE;
    if (raw != null) {
      try {
        rate = Double.parseDouble(raw.trim());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(property + ": " + raw + " (expected: a number > 0)", e);
      }
    }
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new ConfigurationException(property + ": " + raw + " (expected: a number > 0)");
    }
    return Sampler.parentBased(new RateLimitingSampler(rate));
  }

  @Override
  public String getName() {
    return NAME;
  }
}
