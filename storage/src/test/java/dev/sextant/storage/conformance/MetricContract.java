package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.sextant.storage.metrics.MetricReader} and
 * {@link dev.sextant.storage.metrics.MetricWriter}: matchers, inclusive time bounds, order,
 * out-of-order and duplicate samples, exact values, label APIs.
 */
public interface MetricContract extends StorageKit {
  /** A recent time in unix milliseconds. */
  long T = NOW / 1_000_000L;

  private static TimeSeries series(Labels labels, long[] ts, double... values) {
    return new TimeSeries(labels, ts, values);
  }

  private List<Series> select(long min, long max, LabelMatcher... matchers) {
    return storage().metricReader().select(List.of(matchers), min, max);
  }

  private List<String> jobs(LabelMatcher... matchers) {
    return select(T - 1000, T + 1000, matchers).stream().map(s -> s.labels().get("job"))
        .toList();
  }

  private static List<long[]> samples(Series s) {
    List<long[]> out = new ArrayList<>();
    SampleIterator it = s.samples();
    while (it.next()) {
      out.add(new long[] {it.timestamp(), Double.doubleToRawLongBits(it.value())});
    }
    return out;
  }

  private static List<Long> timestamps(Series s) {
    return samples(s).stream().map(x -> x[0]).toList();
  }

  private static List<Double> values(Series s) {
    return samples(s).stream().map(x -> Double.longBitsToDouble(x[1])).toList();
  }

  private void writeJobs() {
    write(TimeSeries.of(Labels.of("__name__", "up", "job", "api"), T, 1),
        TimeSeries.of(Labels.of("__name__", "up", "job", "db"), T, 1),
        TimeSeries.of(Labels.of("__name__", "up", "job", "apigw"), T, 0),
        TimeSeries.of(Labels.of("__name__", "up"), T, 1),
        TimeSeries.of(Labels.of("__name__", "other", "job", "api"), T, 1));
  }

  @Test
  default void select_matchesEqualAndNotEqual() {
    writeJobs();

    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("job", "api")))
        .containsExactly("api");
    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.neq("job", "api")))
        .containsExactly("", "apigw", "db");
  }

  @Test
  default void select_regexIsFullyAnchored() {
    writeJobs();

    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.re("job", "api")))
        .containsExactly("api");
    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.re("job", "api.*|db")))
        .containsExactly("api", "apigw", "db");
  }

  @Test
  default void select_negativeRegexKeepsTheRest() {
    writeJobs();

    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.nre("job", "api.*")))
        .containsExactly("", "db");
  }

  @Test
  default void select_absentLabelMatchesAsTheEmptyString() {
    writeJobs();

    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.eq("job", "")))
        .containsExactly("");
    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.neq("job", "")))
        .containsExactly("api", "apigw", "db");
    assertThat(jobs(LabelMatcher.eq("__name__", "up"), LabelMatcher.re("job", "db|")))
        .containsExactly("", "db");
  }

  @Test
  default void select_aLoneMatcherOfTheEmptyValueSelectsEverySeriesWithoutTheLabel() {
    writeJobs();

    assertThat(select(T, T, LabelMatcher.eq("job", ""))).extracting(Series::labels)
        .containsExactly(Labels.of("__name__", "up"));
  }

  @Test
  default void select_returnsSeriesSortedByLabels() {
    writeJobs();

    List<Labels> labels = select(T, T, LabelMatcher.re("__name__", ".+")).stream()
        .map(Series::labels).toList();
    assertThat(labels).hasSize(5).isSorted();
  }

  @Test
  default void select_timeBoundsAreInclusive() {
    Labels l = Labels.of("__name__", "m");
    write(series(l, new long[] {T, T + 10, T + 20, T + 30}, 0, 1, 2, 3));

    assertThat(select(T + 10, T + 20, LabelMatcher.eq("__name__", "m")))
        .singleElement().satisfies(s -> assertThat(timestamps(s))
            .containsExactly(T + 10, T + 20));
    assertThat(select(T + 30, T + 30, LabelMatcher.eq("__name__", "m")))
        .singleElement().satisfies(s -> assertThat(values(s)).containsExactly(3.0));
  }

  @Test
  default void select_omitsSeriesWithoutSamplesInRange() {
    write(TimeSeries.of(Labels.of("__name__", "m", "at", "early"), T, 1),
        TimeSeries.of(Labels.of("__name__", "m", "at", "late"), T + 60_000, 1));

    assertThat(select(T + 1, T + 120_000, LabelMatcher.eq("__name__", "m")))
        .extracting(s -> s.labels().get("at")).containsExactly("late");
    assertThat(select(T - 60_000, T - 1, LabelMatcher.eq("__name__", "m"))).isEmpty();
  }

  @Test
  default void select_samplesAreAscendingAndEachIteratorStartsOver() {
    Labels l = Labels.of("__name__", "m");
    write(series(l, new long[] {T, T + 15_000}, 1, 2));
    write(series(l, new long[] {T + 30_000}, 3));

    Series s = select(T, T + 30_000, LabelMatcher.eq("__name__", "m")).get(0);
    assertThat(timestamps(s)).containsExactly(T, T + 15_000, T + 30_000);
    assertThat(values(s)).containsExactly(1.0, 2.0, 3.0);
  }

  @Test
  default void write_dropsASampleOlderThanTheSeriesNewest() {
    Labels l = Labels.of("__name__", "m");
    write(series(l, new long[] {T + 10}, 1));
    write(series(l, new long[] {T + 5, T + 20}, 2, 3));

    assertThat(select(T, T + 100, LabelMatcher.eq("__name__", "m")))
        .singleElement().satisfies(s -> assertThat(timestamps(s)).containsExactly(T + 10, T + 20));
  }

  @Test
  default void write_keepsTheFirstSampleOfATimestamp() {
    Labels l = Labels.of("__name__", "m");
    write(series(l, new long[] {T}, 1));
    write(series(l, new long[] {T}, 2));

    assertThat(select(T, T, LabelMatcher.eq("__name__", "m")))
        .singleElement().satisfies(s -> assertThat(values(s)).containsExactly(1.0));
  }

  @Test
  default void write_keepsValuesBitExactIncludingStaleMarkersAndNaN() {
    double[] v = {StaleMarker.VALUE, Double.NaN, -0.0, Double.POSITIVE_INFINITY,
        Double.MIN_VALUE, 1e308, 0.1 + 0.2, 9_007_199_254_740_993.0};
    long[] ts = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      ts[i] = T + i * 1000L;
    }
    write(series(Labels.of("__name__", "m"), ts, v));

    List<long[]> read = samples(select(T, T + 10_000, LabelMatcher.eq("__name__", "m")).get(0));
    assertThat(read).hasSize(v.length);
    for (int i = 0; i < v.length; i++) {
      assertThat(read.get(i)[1]).as("value %s", v[i])
          .isEqualTo(Double.doubleToRawLongBits(v[i]));
    }
    assertThat(StaleMarker.isStale(Double.longBitsToDouble(read.get(0)[1]))).isTrue();
    assertThat(StaleMarker.isStale(Double.longBitsToDouble(read.get(1)[1]))).isFalse();
  }

  @Test
  default void write_emptyListCompletes() {
    assertThat(storage().metricWriter().write(List.of())).succeedsWithin(Duration.ofSeconds(30));
  }

  @Test
  default void append_withoutLimitsAcceptsEverySeries() {
    AppendResult r = storage().metricWriter().append(List.of(
        TimeSeries.of(Labels.of("__name__", "a"), T, 1),
        TimeSeries.of(Labels.of("__name__", "b", "x", "y"), T, 1))).join();

    assertThat(r.allAccepted()).isTrue();
    assertThat(r.refusedSamples()).isZero();
    assertThat(select(T, T, LabelMatcher.re("__name__", "a|b"))).hasSize(2);
  }

  @Test
  default void labelNames_areOfSeriesInRangeThatMatch() {
    write(TimeSeries.of(Labels.of("__name__", "a", "job", "x"), T, 1),
        TimeSeries.of(Labels.of("__name__", "b", "instance", "i"), T, 1),
        TimeSeries.of(Labels.of("__name__", "c", "old", "o"), T - 3_600_000, 1));

    assertThat(storage().metricReader().labelNames(List.of(), T - 1000, T + 1000))
        .containsExactlyInAnyOrder("__name__", "job", "instance");
    assertThat(storage().metricReader().labelNames(List.of(LabelMatcher.eq("__name__", "a")),
        T - 1000, T + 1000)).containsExactlyInAnyOrder("__name__", "job");
  }

  @Test
  default void labelValues_areOfSeriesInRangeThatMatch() {
    write(TimeSeries.of(Labels.of("__name__", "up", "job", "api"), T, 1),
        TimeSeries.of(Labels.of("__name__", "up", "job", "db"), T, 1),
        TimeSeries.of(Labels.of("__name__", "down", "job", "web"), T, 1),
        TimeSeries.of(Labels.of("__name__", "up", "job", "old"), T - 3_600_000, 1));

    assertThat(storage().metricReader().labelValues("job", List.of(), T - 1000, T + 1000))
        .containsExactlyInAnyOrder("api", "db", "web");
    assertThat(storage().metricReader().labelValues("job",
        List.of(LabelMatcher.eq("__name__", "up")), T - 1000, T + 1000))
        .containsExactlyInAnyOrder("api", "db");
    assertThat(storage().metricReader().labelValues("nope", List.of(), T - 1000, T + 1000))
        .isEmpty();
  }

  @Test
  default void select_checkpointFailureReachesTheCallerUnchanged() {
    writeJobs();
    IllegalStateException deadline = new IllegalStateException("query timeout");

    assertThatThrownBy(() -> storage().metricReader().select(
        List.of(LabelMatcher.re("job", ".+")), T, T, () -> {
          throw deadline;
        })).isSameAs(deadline);
  }
}
