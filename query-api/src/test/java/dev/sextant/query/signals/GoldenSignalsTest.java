package dev.sextant.query.signals;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenSignalsTest {
  static final long BASE = 1_700_000_000_000L;
  @TempDir
  static Path dir;
  static MetricStore store;
  static GoldenSignals signals;

  @BeforeAll
  static void setUp() {
    store = EmbeddedMetricStore.builder(dir.resolve("m")).syncWrites(false).build();
    List<TimeSeries> all = new ArrayList<>();
    all.addAll(RedFixture.series("shop", "GET /cart", "SPAN_KIND_SERVER", BASE, 10, 1));
    all.addAll(RedFixture.series("shop", "SELECT", "SPAN_KIND_CLIENT", BASE, 10, 5));
    all.addAll(RedFixture.series("batch", "job", "SPAN_KIND_INTERNAL", BASE, 10, 2));
    long[] ts = {BASE, BASE + 300_000, BASE + 600_000};
    all.add(new TimeSeries(Labels.of("__name__", "jvm_thread_count", "job", "prod/shop",
        "instance", "i1"), ts, new double[] {40, 41, 42}));
    all.add(new TimeSeries(Labels.of("__name__", "jvm_memory_used_bytes", "job", "shop",
        "jvm_memory_type", "heap", "jvm_memory_pool_name", "G1 Old Gen"), ts,
        new double[] {100, 200, 300}));
    all.add(new TimeSeries(Labels.of("__name__", "jvm_memory_limit_bytes", "job", "shop",
        "jvm_memory_type", "heap", "jvm_memory_pool_name", "G1 Old Gen"), ts,
        new double[] {1000, 1000, 1000}));
    all.add(new TimeSeries(Labels.of("__name__", "jvm_thread_count", "job", "shopping"), ts,
        new double[] {999, 999, 999}));
    store.write(all).join();
    signals = new GoldenSignals(PromqlEngine.of(store, EngineOptions.defaults()));
  }

  @AfterAll
  static void tearDown() {
    store.close();
  }

  @Test
  void query_serverSpansGiveRedSignals() {
    GoldenSignals.Result r = signals.query("shop", null, BASE + 300_000, BASE + 600_000, 60_000,
        60_000);
    assertThat(r.spanKind()).isEqualTo("SPAN_KIND_SERVER");
    Map<String, GoldenSignals.Signal> byName = byName(r);
    assertThat(byName).containsOnlyKeys("latency.p50", "latency.p90", "latency.p99", "traffic",
        "errors", "saturation.heap", "saturation.threads");
    assertThat(last(byName.get("traffic"))).isCloseTo(1.0, within(1e-9));
    assertThat(last(byName.get("errors"))).isCloseTo(0.1, within(1e-9));
    assertThat(last(byName.get("latency.p50"))).isCloseTo(0.0875, within(1e-9));
    assertThat(last(byName.get("latency.p90"))).isCloseTo(0.1857, within(1e-3));
    assertThat(last(byName.get("latency.p99"))).isCloseTo(0.36, within(1e-9));
    // job "prod/shop" matches, "shopping" does not.
    assertThat(last(byName.get("saturation.threads"))).isEqualTo(42);
    assertThat(last(byName.get("saturation.heap"))).isCloseTo(0.3, within(1e-9));
    assertThat(byName.get("traffic").series().get(0).timesMs()).hasSize(6);
  }

  @Test
  void query_perOperation() {
    GoldenSignals.Result r = signals.query("shop", "GET /cart", BASE + 300_000, BASE + 600_000,
        60_000, 60_000);
    assertThat(last(byName(r).get("traffic"))).isCloseTo(1.0, within(1e-9));
    GoldenSignals.Result none = signals.query("shop", "nope", BASE + 300_000, BASE + 600_000,
        60_000, 60_000);
    assertThat(byName(none).get("traffic").series()).isEmpty();
  }

  @Test
  void query_fallsBackToAllKindsWithoutServerSpans() {
    GoldenSignals.Result r = signals.query("batch", null, BASE + 300_000, BASE + 600_000,
        60_000, 60_000);
    assertThat(r.spanKind()).isEqualTo("any");
    assertThat(last(byName(r).get("traffic"))).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void queries_escapeServiceNames() {
    Map<String, String[]> q = GoldenSignals.queries("a\"b.c", "op", "SPAN_KIND_SERVER", 60_000);
    assertThat(q.get("traffic")[1]).isEqualTo("sum(rate(traces_span_metrics_calls_total"
        + "{service_name=\"a\\\"b.c\",span_name=\"op\",span_kind=\"SPAN_KIND_SERVER\"}[60000ms]))");
    assertThat(q.get("saturation.threads")[1])
        .isEqualTo("sum(jvm_thread_count{job=~\"(.+/)?a\\\"b\\\\.c\"})");
  }

  private static Map<String, GoldenSignals.Signal> byName(GoldenSignals.Result r) {
    Map<String, GoldenSignals.Signal> m = new LinkedHashMap<>();
    r.signals().forEach(s -> m.put(s.name(), s));
    return m;
  }

  private static double last(GoldenSignals.Signal s) {
    assertThat(s.series()).as(s.name()).hasSize(1);
    QueryResult.Series series = s.series().get(0);
    return series.values()[series.values().length - 1];
  }

  @Test
  void byService_andByOperation_groupTheRedSeries() {
    String w = "[60000ms]";
    String calls = "sum by (service_name) (rate(traces_span_metrics_calls_total"
        + "{span_kind=\"SPAN_KIND_SERVER\"}" + w + "))";
    assertThat(GoldenSignals.byService(true, 60_000)).containsExactly(
        Map.entry("latency", "histogram_quantile(0.9, sum by (service_name, le) (rate("
            + "traces_span_metrics_duration_seconds_bucket{span_kind=\"SPAN_KIND_SERVER\"}" + w
            + ")))"),
        Map.entry("traffic", calls),
        Map.entry("errors", "(sum by (service_name) (rate(traces_span_metrics_errors_total"
            + "{span_kind=\"SPAN_KIND_SERVER\"}" + w + ")) or 0 * " + calls + ") / " + calls));
    assertThat(GoldenSignals.byService(false, 60_000).get("traffic"))
        .isEqualTo("sum by (service_name) (rate(traces_span_metrics_calls_total" + w + "))");
    assertThat(GoldenSignals.byOperation("a\"b", false, 60_000)).containsExactly(
        Map.entry("traffic", "sum by (span_name) (rate(traces_span_metrics_calls_total"
            + "{service_name=\"a\\\"b\"}" + w + "))"),
        Map.entry("errors", "sum by (span_name) (rate(traces_span_metrics_errors_total"
            + "{service_name=\"a\\\"b\"}" + w + "))"),
        Map.entry("p90", "histogram_quantile(0.9, sum by (span_name, le) (rate("
            + "traces_span_metrics_duration_seconds_bucket{service_name=\"a\\\"b\"}" + w
            + ")))"));
    assertThat(GoldenSignals.byOperation("cart", true, 1000).get("traffic"))
        .contains("{service_name=\"cart\",span_kind=\"SPAN_KIND_SERVER\"}[1000ms]");
    for (String q : GoldenSignals.byService(true, 60_000).values()) {
      PromqlEngine.of(store, EngineOptions.defaults()).instantQuery(q, 0); // parses and runs
    }
  }
}
