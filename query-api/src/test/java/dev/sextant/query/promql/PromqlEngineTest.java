package dev.sextant.query.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.query.promql.parser.ValueType;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class PromqlEngineTest {
  private static InMemoryMetricReader data(int series, int points, long stepMs) {
    List<TimeSeries> out = new ArrayList<>();
    for (int s = 0; s < series; s++) {
      long[] ts = new long[points];
      double[] vs = new double[points];
      for (int i = 0; i < points; i++) {
        ts[i] = i * stepMs;
        vs[i] = i;
      }
      out.add(new TimeSeries(Labels.of("__name__", "x_total", "i", String.valueOf(s)), ts, vs));
    }
    return new InMemoryMetricReader(out);
  }

  @Test
  void instantQuery_rateOverCounter() {
    PromqlEngine engine = PromqlEngine.of(data(2, 100, 15_000), EngineOptions.defaults());
    QueryResult r = engine.instantQuery("sum(rate(x_total[5m]))", 600_000);
    assertThat(r.type()).isEqualTo(ValueType.VECTOR);
    assertThat(r.vector()).hasSize(1);
    assertThat(r.vector().get(0).value()).isCloseTo(2 / 15.0, Offset
        .offset(1e-9));
  }

  @Test
  void rangeQuery_returnsSortedMatrix() {
    PromqlEngine engine = PromqlEngine.of(data(3, 10, 60_000), EngineOptions.defaults());
    QueryResult r = engine.rangeQuery("x_total * 2", 0, 120_000, 60_000);
    assertThat(r.type()).isEqualTo(ValueType.MATRIX);
    assertThat(r.matrix()).hasSize(3);
    assertThat((Object) r.matrix().get(0).labels()).isEqualTo(Labels.of("i", "0"));
    assertThat(r.matrix().get(0).values()).containsExactly(0, 2, 4);
  }

  @Test
  void query_tooManySamplesIsAnExecutionError() {
    PromqlEngine engine = PromqlEngine.of(data(10, 1000, 1000),
        EngineOptions.defaults().withMaxSamples(500));
    assertThatThrownBy(() -> engine.instantQuery("sum_over_time(x_total[1h])", 1_000_000))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.EXECUTION))
        .hasMessageContaining("too many samples").hasMessageContaining("maxSamples: 500");
  }

  @Test
  void query_timeoutIsReported() {
    PromqlEngine engine = PromqlEngine.of(data(10, 100, 1000),
        EngineOptions.defaults().withTimeout(Duration.ofNanos(1)));
    assertThatThrownBy(() -> engine.rangeQuery("x_total + 1", 0, 100_000_000, 1000))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.TIMEOUT));
  }

  @Test
  void query_interruptCancels() {
    PromqlEngine engine = PromqlEngine.of(data(10, 100, 1000), EngineOptions.defaults());
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> engine.rangeQuery("x_total + 1", 0, 100_000_000, 1000))
          .isInstanceOfSatisfying(QueryException.class,
              e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.CANCELED));
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void query_lookbackDeltaIsConfigurable() {
    InMemoryMetricReader reader = data(1, 1, 1000);
    assertThat(PromqlEngine.of(reader, EngineOptions.defaults())
        .instantQuery("x_total", 299_000).vector()).hasSize(1);
    assertThat(PromqlEngine.of(reader, EngineOptions.defaults()
        .withLookbackDelta(Duration.ofMinutes(1))).instantQuery("x_total", 61_000).vector())
        .isEmpty();
  }

  @Test
  void query_parseErrorIsBadData() {
    PromqlEngine engine = PromqlEngine.of(data(1, 1, 1000), EngineOptions.defaults());
    assertThatThrownBy(() -> engine.instantQuery("sum(", 0))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.BAD_DATA));
    assertThatThrownBy(() -> engine.rangeQuery("x_total[5m]", 0, 1000, 1000))
        .isInstanceOfSatisfying(QueryException.class,
            e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.BAD_DATA));
  }

  @Test
  void options_rejectBadValues() {
    assertThatThrownBy(() -> EngineOptions.defaults().withMaxSamples(0))
        .hasMessage("maxSamples: 0 (expected: > 0)");
  }
}
