package dev.sextant.query.promql;

import dev.sextant.storage.metrics.Labels;
import java.util.List;

/** Evaluation-time values. */
final class Values {
  private Values() {}

  sealed interface Value permits Scalar, Str, Vec, Mat {}

  record Scalar(double v) implements Value {}

  record Str(String s) implements Value {}

  record Vec(List<Smp> samples) implements Value {}

  record Mat(List<Rng> series) implements Value {}

  /**
   * A vector element. {@code ts} is the timestamp of the underlying stored sample for selector
   * output (what {@code timestamp()} reports), otherwise the evaluation time. {@code dropName}
   * marks a pending removal of {@code __name__} (Prometheus's delayed name removal).
   */
  record Smp(Labels labels, double v, long ts, boolean dropName, Labels noName) {
    Smp(Labels labels, double v, long ts, boolean dropName) {
      this(labels, v, ts, dropName, null);
    }

    Smp withValue(double nv) {
      return new Smp(labels, nv, ts, dropName, noName);
    }

    Smp dropping(double nv, long t) {
      return new Smp(labels, nv, t, true, noName);
    }

    /** The labels as they will be seen once the name is dropped. */
    Labels effectiveLabels() {
      if (!dropName) {
        return labels;
      }
      return noName != null ? noName : LabelSets.without(labels, Labels.NAME);
    }
  }

  /** A series' points in a window; points are {@code ts[from..to)} / {@code vs[from..to)}. */
  record Rng(Labels labels, long[] ts, double[] vs, int from, int to, boolean dropName,
      Labels noName) {
    Rng(Labels labels, long[] ts, double[] vs, int from, int to, boolean dropName) {
      this(labels, ts, vs, from, to, dropName, null);
    }

    int size() {
      return to - from;
    }

    long t(int i) {
      return ts[from + i];
    }

    double v(int i) {
      return vs[from + i];
    }
  }
}
