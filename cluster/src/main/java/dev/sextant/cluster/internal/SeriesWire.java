package dev.sextant.cluster.internal;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;

/**
 * A series' samples in the record format, version 1: the labels (sorted, as {@link Labels} keeps
 * them), then the timestamps as deltas and the values as raw IEEE 754 bits, so NaNs and the stale
 * marker stay bit-exact.
 */
public final class SeriesWire {
  private SeriesWire() {}

  public static void encode(TimeSeries s, WireWriter w) {
    writeLabels(s.labels(), w);
    long[] ts = s.timestamps();
    double[] vs = s.values();
    w.writeVarInt(ts.length);
    long prev = 0;
    for (int i = 0; i < ts.length; i++) {
      w.writeZigZag(ts[i] - prev);
      prev = ts[i];
      w.writeDouble(vs[i]);
    }
  }

  /** The labels alone: also the partitioning key of the series. */
  public static void writeLabels(Labels labels, WireWriter w) {
    w.writeVarInt(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      w.writeString(labels.name(i));
      w.writeString(labels.value(i));
    }
  }

  public static TimeSeries decode(WireReader r) {
    int n = r.readCount(2);
    String[] nv = new String[n * 2];
    for (int i = 0; i < nv.length; i++) {
      nv[i] = r.readString();
    }
    int samples = r.readCount(9);
    long[] ts = new long[samples];
    double[] vs = new double[samples];
    long prev = 0;
    for (int i = 0; i < samples; i++) {
      prev += r.readZigZag();
      ts[i] = prev;
      vs[i] = r.readDouble();
    }
    return new TimeSeries(Labels.of(nv), ts, vs);
  }
}
