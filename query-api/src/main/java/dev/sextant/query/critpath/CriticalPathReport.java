package dev.sextant.query.critpath;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@link CriticalPaths#aggregate}: the window, the previous one, and one row per
 * service and operation on the critical path in either, by current mean share, largest first.
 *
 * @param grewMost the row whose mean share grew most against the previous window; null when none
 *     grew or the previous window had no traces
 */
public record CriticalPathReport(CriticalPathQuery query, WindowStats current,
    WindowStats previous, List<Row> rows, @Nullable Row grewMost) {
  public CriticalPathReport {
    requireNonNull(query, "query");
    requireNonNull(current, "current");
    requireNonNull(previous, "previous");
    rows = List.copyOf(rows);
  }

  /** Whether either window's answer rests on fewer traces (or spans) than it holds. */
  public boolean sampled() {
    return current.sampled() || previous.sampled();
  }

  /**
   * Traces of one window.
   *
   * @param candidates traces with the operation found by the searches; a lower bound when capped
   * @param analysed traces whose critical path was aggregated (those where the operation's span
   *     was read and lasted more than 0 ns)
   * @param sampled whether fewer traces were analysed than the window holds (or a read was cut)
   * @param durationP50Nanos the operation's end-to-end duration at p50 over the analysed traces
   * @param durationP99Nanos the same at p99
   */
  public record WindowStats(long fromUnixNano, long toUnixNano, int candidates,
      boolean candidatesCapped, int analysed, boolean sampled, long durationP50Nanos,
      long durationP99Nanos) {}

  /**
   * One service and operation: its share of the end-to-end time on the critical path, over the
   * analysed traces (0 for a trace whose critical path does not pass through it).
   */
  public record Share(int traces, double p50, double p99, double mean, long nanosP50,
      long nanosP99) {
    static final Share NONE = new Share(0, 0, 0, 0, 0, 0);
  }

  /** A row: the shares in both windows and how they moved. */
  public record Row(String service, String operation, Share current, Share previous) {
    public double meanDelta() {
      return current.mean() - previous.mean();
    }

    public double p50Delta() {
      return current.p50() - previous.p50();
    }

    public double p99Delta() {
      return current.p99() - previous.p99();
    }
  }
}
