package dev.sextant.collector.internal;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import java.util.TreeMap;

/**
 * Exponential histogram → classic {@code le} buckets at the exponential bucket boundaries
 * ({@code base^(index+1)}, {@code base = 2^(2^-scale)}), plus the zero bucket at the zero
 * threshold. Negative observations have no place in classic buckets: such points are refused.
 * Delta points accumulate per (series, scale, offset); a change of scale restarts the series.
 */
final class ExponentialBuckets {
  private ExponentialBuckets() {}

  static long convert(String name, ExponentialHistogramDataPoint p, TreeMap<String, String> l,
      SeriesSink sink, MetricConverter.Rejections rej, DeltaAccumulator deltas) {
    long t = MetricConverter.timeMillis(p.getTimeUnixNano());
    if (t <= 0) {
      rej.add(1, "data point of " + name + ": time_unix_nano missing");
      return 0;
    }
    for (long c : p.getNegative().getBucketCountsList()) {
      if (c > 0) {
        rej.add(1, "exponential histogram " + name
            + ": negative buckets are not supported (classic le buckets cannot hold them)");
        return 0;
      }
    }
    if (p.getScale() < -10 || p.getScale() > 20) {
      rej.add(1, "exponential histogram " + name + ": scale " + p.getScale()
          + " (expected: -10 to 20)");
      return 0;
    }
    int n = p.getPositive().getBucketCountsCount();
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    double[] values = new double[n + 4]; // zero bucket, n buckets, +Inf, sum, count
    long cumulative = p.getZeroCount();
    values[0] = cumulative;
    for (int k = 0; k < n; k++) {
      cumulative += p.getPositive().getBucketCounts(k);
      values[k + 1] = cumulative;
    }
    values[n + 1] = p.getCount();
    values[n + 2] = p.hasSum() ? p.getSum() : Double.NaN;
    values[n + 3] = p.getCount();
    boolean stale = (p.getFlags() & 1) != 0;
    if (deltas != null && !stale) {
      TreeMap<String, String> key = new TreeMap<>(l);
      key.put(Labels.NAME, name + "_bucket");
      key.put("__scale", p.getScale() + "/" + p.getPositive().getOffset());
      values = deltas.add(Labels.of(key), values);
    }
    sink.add(l, name + "_bucket", "le", MetricConverter.formatLe(p.getZeroThreshold()), t,
        stale ? StaleMarker.VALUE : values[0]);
    int offset = p.getPositive().getOffset();
    for (int k = 0; k < n; k++) {
      double le = Math.pow(base, offset + k + 1);
      sink.add(l, name + "_bucket", "le", MetricConverter.formatLe(le), t,
          stale ? StaleMarker.VALUE : values[k + 1]);
    }
    sink.add(l, name + "_bucket", "le", "+Inf", t, stale ? StaleMarker.VALUE : values[n + 1]);
    if (p.hasSum()) {
      sink.add(l, name + "_sum", null, null, t, stale ? StaleMarker.VALUE : values[n + 2]);
    }
    sink.add(l, name + "_count", null, null, t, stale ? StaleMarker.VALUE : values[n + 3]);
    return t;
  }
}
