package dev.sextant.query.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The series-major and streamed paths ({@link WindowKernel}, {@link SeriesMajor},
 * {@link StreamedAggregate}) answer exactly as step-by-step evaluation does: same values to the
 * bit, same order, same annotations, same errors. Series are generated from fixed seeds with
 * irregular intervals, gaps, counter resets, staleness markers and samples on window edges, and
 * stored in a real metric store.
 */
class FastPathEquivalenceTest {
  private static final long T0 = 1_000_000;
  private static final long SPAN = 3 * 3_600_000;
  private static final String[] FUNCTIONS = {"rate", "increase", "delta", "irate", "idelta",
      "deriv", "resets", "changes", "avg_over_time", "sum_over_time", "count_over_time",
      "present_over_time", "last_over_time", "first_over_time", "min_over_time", "max_over_time",
      "stddev_over_time", "ts_of_max_over_time"};
  private static final String[] AGGREGATIONS = {"", "sum by (job) ", "avg by (job) ",
      "min without (inst) ", "max ", "count by (job) ", "group by (job) ", "sum by (__name__) ",
      "avg without (job) ", "sum by (job, inst) ", "stddev by (job) ", "sum by (nope) "};
  private static final String[] SELECTORS = {"x_total[5m]", "{__name__=~\"x_total|y\"}[2m]",
      "x_total[5m] offset 3m", "y[1m]", "x_total{job=\"a\"}[10m] @ 4000", "x_total[15s]"};

  private static MetricStoreReaders stores;
  private static MetricReader reader;
  private static List<TimeSeries> data;

  @BeforeAll
  static void setUp() {
    stores = new MetricStoreReaders();
    data = generate(new Random(18));
    reader = stores.apply(data);
  }

  @AfterAll
  static void tearDown() throws Exception {
    stores.close();
  }

  private static List<TimeSeries> generate(Random rnd) {
    List<TimeSeries> out = new ArrayList<>();
    String[] jobs = {"a", "b", "c", ""};
    for (int s = 0; s < 60; s++) {
      String name = s % 3 == 2 ? "y" : "x_total";
      String job = jobs[rnd.nextInt(jobs.length)];
      Labels labels = job.isEmpty() ? Labels.of("__name__", name, "inst", "i" + s)
          : Labels.of("__name__", name, "inst", "i" + s, "job", job);
      int n = rnd.nextInt(800);
      long[] ts = new long[n];
      double[] vs = new double[n];
      long t = T0 + rnd.nextInt(600_000);
      double v = rnd.nextInt(100);
      for (int i = 0; i < n; i++) {
        // Mostly 15 s, sometimes jittered, sometimes a gap longer than the lookback.
        t += rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(400_000) : 15_000 + rnd.nextInt(3) * 500;
        ts[i] = t;
        if (name.equals("y")) {
          v = rnd.nextGaussian() * 1e3;
        } else if (rnd.nextInt(30) == 0) {
          v = rnd.nextInt(5); // counter reset
        } else {
          v += rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble() * 10;
        }
        vs[i] = rnd.nextInt(25) == 0 ? StaleMarker.VALUE : v;
      }
      out.add(new TimeSeries(labels, ts, vs));
    }
    return out;
  }

  private static List<String> queries() {
    List<String> out = new ArrayList<>();
    for (String agg : AGGREGATIONS) {
      for (String fn : FUNCTIONS) {
        for (String sel : SELECTORS) {
          out.add(agg + "(" + fn + "(" + sel + "))");
        }
      }
    }
    out.add("sum by (job) (rate(x_total[5m])) / 2");
    out.add("sum by (job) (rate(x_total[5m])) > on (job) avg by (job) (irate(x_total[1m]))");
    out.add("max(sum by (job) ((rate(x_total[5m]))))");
    out.add("sum(rate(x_total[5m]))[10m:1m]");
    out.add("max_over_time(sum by (job) (rate(x_total[5m]))[10m:1m])");
    out.add("label_replace(sum by (job) (rate(x_total[5m])), \"j\", \"$1\", \"job\", \"(.*)\")");
    for (String agg : AGGREGATIONS) {
      if (!agg.isEmpty() && !agg.startsWith("stddev")) {
        for (String sel : new String[] {"x_total", "y offset 5m", "{__name__=~\"x_total|y\"}",
            "y @ 4000", "x_total{job!=\"b\"}"}) {
          out.add(agg + "(" + sel + ")");
        }
      }
    }
    out.add("count(y)");
    return out;
  }

  private static String render(PromqlEngine engine, String q, long start, long end, long step) {
    try {
      QueryResult r = step == 0 ? engine.instantQuery(q, start)
          : engine.rangeQuery(q, start, end, step);
      StringBuilder b = new StringBuilder(r.type().toString()).append('\n');
      if (r.vector() != null) {
        for (QueryResult.Sample s : r.vector()) {
          b.append(s.labels()).append(' ').append(s.timeMs()).append(' ').append(s.value())
              .append('\n');
        }
      }
      if (r.matrix() != null) {
        for (QueryResult.Series s : r.matrix()) {
          b.append(s.labels());
          for (int i = 0; i < s.timesMs().length; i++) {
            b.append(' ').append(s.timesMs()[i]).append('=').append(s.values()[i]);
          }
          b.append('\n');
        }
      }
      b.append(r.scalar()).append(' ').append(r.string()).append('\n');
      return b.append(r.warnings()).append('\n').append(r.infos()).toString();
    } catch (QueryException e) {
      return e.kind() + ": " + e.getMessage();
    }
  }

  private static int compare(long start, long end, long step) {
    PromqlEngine fast = new DefaultEngine(reader, EngineOptions.defaults());
    PromqlEngine reference = new DefaultEngine(reader, EngineOptions.defaults(), false);
    int nonEmpty = 0;
    for (String q : queries()) {
      String expected = render(reference, q, start, end, step);
      assertThat(render(fast, q, start, end, step)).as(q + " @ " + start + ".." + end + "/" + step)
          .isEqualTo(expected);
      if (expected.contains("{")) {
        nonEmpty++;
      }
    }
    return nonEmpty;
  }

  @Test
  void instantQuery_fastPathsMatchStepByStep() {
    Random rnd = new Random(7);
    int nonEmpty = 0;
    for (int i = 0; i < 4; i++) {
      long t = T0 + 600_000 + rnd.nextInt((int) SPAN);
      nonEmpty += compare(t, t, 0);
    }
    // On and next to the edges of windows and of the lookback: a sample followed by a gap
    // longer than the lookback, at its own time, 1 m and 5 m after it.
    long sample = lastBeforeGap();
    for (long d : new long[] {0, 60_000, 300_000}) {
      for (long e = -1; e <= 1; e++) {
        nonEmpty += compare(sample + d + e, sample + d + e, 0);
      }
    }
    assertThat(nonEmpty).as("queries with series in the answer").isGreaterThan(2000);
  }

  private static long lastBeforeGap() {
    for (TimeSeries s : data) {
      long[] ts = s.timestamps();
      for (int i = 0; i + 1 < ts.length; i++) {
        if (ts[i + 1] - ts[i] > 310_000 && !StaleMarker.isStale(s.values()[i])) {
          return ts[i];
        }
      }
    }
    throw new AssertionError("no gap in the generated data");
  }

  @Test
  void rangeQuery_fastPathsMatchStepByStep() {
    Random rnd = new Random(11);
    long[] steps = {15_000, 60_000, 37_000};
    int nonEmpty = 0;
    for (long step : steps) {
      long start = T0 + rnd.nextInt((int) SPAN / 2);
      nonEmpty += compare(start, start + step * (5 + rnd.nextInt(60)), step);
    }
    assertThat(nonEmpty).as("queries with series in the answer").isGreaterThan(300);
  }
}
