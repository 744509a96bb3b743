package dev.sextant.query.prometheus;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.parser.Parser;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile parameters on a real Armeria server over a real store: each is a 400 {@code bad_data}
 * naming the parameter, answered at once (the bound below is generous for a loaded box; before
 * the fix {@code time=1e-500000000} burned a core for ~10 s).
 */
class PrometheusApiLimitsTest {
  /** Generous: the answers take milliseconds, but other builds share the box. */
  private static final long QUICK_MS = 5_000;

  @TempDir
  static Path dir;
  private static MetricStore store;
  private static Server server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    store = EmbeddedMetricStore.builder(dir.resolve("db")).syncWrites(false).build();
    store.write(List.of(new TimeSeries(Labels.of("__name__", "up", "job", "api"),
        new long[] {0, 15_000}, new double[] {1, 1}))).join();
    ServerBuilder sb = Server.builder().http(0);
    sb.service(PrometheusApi.of(store, PromqlEngine.of(store, EngineOptions.defaults())).service());
    server = sb.build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterAll
  static void stop() {
    server.stop().join();
    store.close();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** POSTs the form (no URL length limit) and checks the answer came quickly. */
  private static AggregatedHttpResponse post(String path, String form) {
    long t0 = System.nanoTime();
    AggregatedHttpResponse r = client.execute(HttpRequest.of(
        RequestHeaders.builder(HttpMethod.POST, path).contentType(MediaType.FORM_DATA).build(),
        HttpData.ofUtf8(form))).aggregate().join();
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for %s", path).isLessThan(QUICK_MS);
    return r;
  }

  private static void assertBadData(AggregatedHttpResponse r, String error) {
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(400);
    assertThat(r.contentUtf8()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"" + error.replace("\"", "\\\"") + "\"}");
  }

  @Test
  void query_hugeExponentTime_isParsedAsADoubleAtOnce() {
    // Prometheus's ParseFloat reads 1e-500000000 as 0 (underflow is no error): time 0, 200.
    AggregatedHttpResponse r = post("/api/v1/query", "query=1&time=1e-500000000");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentUtf8()).contains("\"result\":[0,\"1\"]");
    assertThat(post("/api/v1/query", "query=1&time=1e-5000000000000000000000").status().code())
        .isEqualTo(200);
  }

  @Test
  void query_nonFiniteOrOutOfRangeTime_is400() {
    for (String t : List.of("1e309", "NaN", "nan", "Inf", "-Inf", "+Infinity", "1e500000000",
        "9.3e15", "1d", "0x10", "1_000", " 1", "2024-13-01T00:00:00Z")) {
      assertBadData(post("/api/v1/query", "query=1&time=" + enc(t)),
          "invalid parameter \"time\": invalid time value for 'time': cannot parse \"" + t
              + "\" to a valid timestamp");
    }
  }

  @Test
  void query_hugeTimeString_is400WithTheValueCut() {
    String t = "1".repeat(1_000_000);
    assertBadData(post("/api/v1/query", "query=1&time=" + t),
        "invalid parameter \"time\": invalid time value for 'time': cannot parse \""
            + "1".repeat(64) + "...\" to a valid timestamp");
  }

  @Test
  void queryRange_badSteps_are400() {
    String range = "/api/v1/query_range";
    assertBadData(post(range, "query=up&start=0&end=60&step=0"), "invalid parameter \"step\": "
        + "zero or negative query resolution step widths are not accepted. Try a positive integer");
    assertBadData(post(range, "query=up&start=0&end=60&step=-15"), "invalid parameter \"step\": "
        + "zero or negative query resolution step widths are not accepted. Try a positive integer");
    assertBadData(post(range, "query=up&start=0&end=60&step=NaN"),
        "invalid parameter \"step\": cannot parse \"NaN\" to a valid duration");
    assertBadData(post(range, "query=up&start=0&end=60&step=1e400"),
        "invalid parameter \"step\": cannot parse \"1e400\" to a valid duration. It overflows "
            + "int64");
    assertBadData(post(range, "query=up&start=0&end=60&step=1e16"),
        "invalid parameter \"step\": cannot parse \"1e16\" to a valid duration. It overflows "
            + "int64");
    assertBadData(post(range, "query=up&start=0&end=60&step=" + "9".repeat(100_000) + "s"),
        "invalid parameter \"step\": cannot parse \"" + "9".repeat(64) + "...\" to a valid "
            + "duration");
    assertBadData(post(range, "query=up&start=0&end=60&step=99999999999999999999y"),
        "invalid parameter \"step\": cannot parse \"99999999999999999999y\" to a valid duration");
    assertBadData(post(range, "query=up&start=0&end=60&step=1s1m"),
        "invalid parameter \"step\": cannot parse \"1s1m\" to a valid duration");
  }

  @Test
  void queryRange_tooManyPoints_is400() {
    for (String f : List.of("start=0&end=11001&step=1", "start=-9e12&end=9e12&step=0.001",
        "start=0&end=1e12&step=1ms")) {
      assertBadData(post("/api/v1/query_range", "query=up&" + f), "exceeded maximum resolution "
          + "of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
    }
    assertThat(post("/api/v1/query_range", "query=up&start=0&end=11000&step=1").status().code())
        .isEqualTo(200);
  }

  @Test
  void queryRange_prometheusDurationStep_isADurationNotAJavaFloat() {
    // Java's parseDouble reads "1d" as 1.0 (a float suffix); Prometheus reads one day.
    AggregatedHttpResponse r = post("/api/v1/query_range", "query=1&start=0&end=172800&step=1d");
    assertThat(r.contentUtf8()).contains("\"values\":[[0,\"1\"],[86400,\"1\"],[172800,\"1\"]]");
  }

  @Test
  void seriesAndLabels_badBounds_are400() {
    assertBadData(post("/api/v1/series", "match[]=up&start=NaN"), "invalid parameter \"start\": "
        + "invalid time value for 'start': cannot parse \"NaN\" to a valid timestamp");
    assertBadData(post("/api/v1/labels", "end=1e309"), "invalid parameter \"end\": "
        + "invalid time value for 'end': cannot parse \"1e309\" to a valid timestamp");
  }

  @Test
  void query_twentyThousandNestedParens_is400WithPosition() {
    String q = "(".repeat(20_000) + "1" + ")".repeat(20_000);
    assertBadData(post("/api/v1/query", "query=" + enc(q)),
        "invalid parameter \"query\": 1:257: parse error: expression nested too deeply "
            + "(limit: 256 levels)");
    String chain = "up" + "+up".repeat(10_000);
    AggregatedHttpResponse r = post("/api/v1/query", "query=" + enc(chain));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).contains("parse error: expression nested too deeply");
  }

  @Test
  void query_atMaxDepth_evaluatesWithoutOverflow() {
    int n = Parser.MAX_DEPTH - 1;
    for (String q : List.of("(".repeat(n) + "up" + ")".repeat(n),
        "abs(".repeat(n) + "up" + ")".repeat(n), "sum(".repeat(n) + "up" + ")".repeat(n),
        "-".repeat(n) + "up", "up" + " + up".repeat(n), "2" + " ^ 1".repeat(n),
        "up" + " and up".repeat(n), "up" + " * on(job) up".repeat(n))) {
      AggregatedHttpResponse r = post("/api/v1/query", "query=" + enc(q) + "&time=15");
      assertThat(r.status().code()).as(q + " -> " + r.contentUtf8()).isEqualTo(200);
    }
  }

  @Test
  void query_overMaxLength_is400() {
    String q = "up" + " ".repeat(Parser.MAX_LENGTH);
    assertBadData(post("/api/v1/query", "query=" + enc(q)), "invalid parameter \"query\": "
        + "1:1: parse error: expression too long: 65538 characters (limit: 65536)");
  }
}
