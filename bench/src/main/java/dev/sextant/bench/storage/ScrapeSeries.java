package dev.sextant.bench.storage;

import dev.sextant.storage.metrics.Labels;
import java.util.Locale;
import java.util.Random;

/**
 * One synthetic scraped series and its value process, in the mix of an instrumented application
 * plus node exporter: integer counters at various rates (25 %), histogram buckets, mostly idle
 * (35 %), float histogram sums (3 %), integer gauges walking randomly (12 %), constant gauges such
 * as {@code up} (12 %), byte-size gauges (5 %), two-decimal gauges such as load (8 %).
 */
final class ScrapeSeries {
  enum Kind {
    COUNTER(25), BUCKET(35), FLOAT_SUM(3), INT_GAUGE(12), CONSTANT(12), BYTES(5), DECIMAL(8);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  final Labels labels;
  private final Kind kind;
  private final double rate;
  private double value;

  ScrapeSeries(int i, Random r) {
    kind = pick(r);
    labels = Labels.of("__name__", kind.name().toLowerCase(Locale.ROOT) + "_metric",
        "job", "job-" + (i % 20), "instance", "10.0." + (i / 250) + "." + (i % 250) + ":8080",
        "series", "s" + i);
    rate = new double[] {0, 0.2, 3, 40, 400}[r.nextInt(5)];
    value = switch (kind) {
      case INT_GAUGE -> 20 + r.nextInt(200);
      case CONSTANT -> 1;
      case BYTES -> 100_000_000 + r.nextInt(1 << 28);
      case DECIMAL -> r.nextInt(400) / 100.0;
      default -> r.nextInt(100_000);
    };
  }

  private static Kind pick(Random r) {
    int x = r.nextInt(100);
    for (Kind k : Kind.values()) {
      if (x < k.weight) {
        return k;
      }
      x -= k.weight;
    }
    return Kind.CONSTANT;
  }

  double next(Random r) {
    switch (kind) {
      case COUNTER -> value += Math.round(rate * (0.5 + r.nextDouble()));
      case BUCKET -> value += r.nextInt(10) < 3 ? Math.round(rate / 10 * r.nextDouble()) : 0;
      case FLOAT_SUM -> value += rate * r.nextDouble() * 0.05;
      case INT_GAUGE -> value += r.nextInt(4) == 0 ? r.nextInt(5) - 2 : 0;
      case CONSTANT -> { }
      case BYTES -> value += r.nextInt(3) == 0 ? (r.nextInt(2000) - 1000) * 4096 : 0;
      case DECIMAL -> value = Math.max(0, Math.round((value + r.nextGaussian() * 0.05) * 100)
          / 100.0);
      default -> throw new AssertionError(kind);
    }
    return value;
  }
}
