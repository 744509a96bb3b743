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

/** End to end: real RocksDB store, real Armeria server on an ephemeral port. */
class PrometheusApiTest {
  @TempDir
  static Path dir;
  private static MetricStore store;
  private static Server server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    store = EmbeddedMetricStore.builder(dir.resolve("db")).syncWrites(false).build();
    long[] ts = {0, 15_000, 30_000, 45_000, 60_000};
    store.write(List.of(
        new TimeSeries(Labels.of("__name__", "up", "job", "api", "instance", "a"), ts,
            new double[] {1, 1, 1, 1, 1}),
        new TimeSeries(Labels.of("__name__", "up", "job", "db", "instance", "b"), ts,
            new double[] {0, 0, 1, 1, 1}),
        new TimeSeries(Labels.of("__name__", "req_total", "job", "api"), ts,
            new double[] {0, 15, 30, 45, 60}))).join();
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

  private static AggregatedHttpResponse get(String path) {
    return client.get(path).aggregate().join();
  }

  @Test
  void query_instantVectorShape() {
    AggregatedHttpResponse r = get("/api/v1/query?query=" + enc("up{job=\"api\"}") + "&time=60");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentUtf8()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"instance\":\"a\","
        + "\"job\":\"api\"},\"value\":[60,\"1\"]}]}}");
  }

  @Test
  void query_scalarAndSpecialValues() {
    assertThat(get("/api/v1/query?query=" + enc("1/0") + "&time=1.5").contentUtf8())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
            + "\"result\":[1.500,\"+Inf\"]}}");
    assertThat(get("/api/v1/query?query=" + enc("0/0") + "&time=2").contentUtf8())
        .contains("[2,\"NaN\"]");
    assertThat(get("/api/v1/query?query=" + enc("\"hi\"") + "&time=2").contentUtf8())
        .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
            + "\"result\":[2,\"hi\"]}}");
  }

  @Test
  void queryRange_matrixShapeViaPostForm() {
    HttpRequest req = HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/api/v1/query_range")
        .contentType(MediaType.FORM_DATA).build(),
        HttpData.ofUtf8("query=" + enc("req_total / 30")
            + "&start=30&end=60&step=15s"));
    AggregatedHttpResponse r = client.execute(req).aggregate().join();
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentUtf8()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":"
        + "\"matrix\",\"result\":[{\"metric\":{\"job\":\"api\"},\"values\":[[30,\"1\"],"
        + "[45,\"1.5\"],[60,\"2\"]]}]}}");
  }

  @Test
  void query_annotationsAreReturned() {
    String body = get("/api/v1/query?query=" + enc("rate(up[1m])") + "&time=60").contentUtf8();
    assertThat(body).contains("\"infos\":[\"PromQL info: metric might not be a counter, name "
        + "does not end in _total/_sum/_count/_bucket: \\\"up\\\" (1:6)\"]");
  }

  @Test
  void query_errorsHavePrometheusTypesAndStatuses() {
    AggregatedHttpResponse bad = get("/api/v1/query?query=" + enc("sum(") + "&time=1");
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(bad.contentUtf8()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"query\\\": 1:5: parse error:");
    AggregatedHttpResponse exec = get("/api/v1/query?query="
        + enc("label_replace(label_replace(up, \"job\", \"x\", \"job\", \".*\"), "
        + "\"instance\", \"\", \"instance\", \".*\")") + "&time=60");
    assertThat(exec.status().code()).isEqualTo(422);
    assertThat(exec.contentUtf8()).isEqualTo("{\"status\":\"error\",\"errorType\":\"execution\","
        + "\"error\":\"vector cannot contain metrics with the same labelset\"}");
    AggregatedHttpResponse step = get("/api/v1/query_range?query=up&start=0&end=60&step=0");
    assertThat(step.status().code()).isEqualTo(400);
    // Prometheus's words (web/api/v1): invalidParamError around each message.
    assertThat(step.contentUtf8()).contains("\"error\":\"invalid parameter \\\"step\\\": zero or "
        + "negative query resolution step widths are not accepted. Try a positive integer\"");
    assertThat(get("/api/v1/query?query=up&time=yesterday").contentUtf8())
        .contains("\"error\":\"invalid parameter \\\"time\\\": invalid time value for 'time': "
            + "cannot parse \\\"yesterday\\\" to a valid timestamp\"");
    assertThat(get("/api/v1/query_range?query=up&start=soon&end=60&step=1").contentUtf8())
        .contains("\"error\":\"invalid parameter \\\"start\\\": cannot parse \\\"soon\\\" to a "
            + "valid timestamp\"");
  }

  @Test
  void seriesLabelsAndValues() {
    assertThat(get("/api/v1/series?match[]=" + enc("up{job=\"db\"}")).contentUtf8())
        .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"b\","
            + "\"job\":\"db\"}]}");
    assertThat(get("/api/v1/series").status().code()).isEqualTo(400);
    assertThat(get("/api/v1/labels").contentUtf8()).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
    assertThat(get("/api/v1/label/job/values").contentUtf8()).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"api\",\"db\"]}");
    assertThat(get("/api/v1/label/__name__/values?match[]=" + enc("{job=\"api\"}"))
        .contentUtf8()).isEqualTo("{\"status\":\"success\",\"data\":[\"req_total\",\"up\"]}");
  }

  @Test
  void seriesAndLabels_limitTruncatesWithWarning() {
    assertThat(get("/api/v1/label/__name__/values?limit=1").contentUtf8()).isEqualTo(
        "{\"status\":\"success\",\"data\":[\"req_total\"],"
            + "\"warnings\":[\"results truncated due to limit\"]}");
    assertThat(get("/api/v1/series?limit=1&match[]=up").contentUtf8()).contains(
        "\"warnings\":[\"results truncated due to limit\"]");
    assertThat(get("/api/v1/labels?limit=x").status().code()).isEqualTo(400);
  }

  @Test
  void metadataAndBuildinfo() {
    assertThat(get("/api/v1/query_exemplars?query=up").contentUtf8())
        .isEqualTo("{\"status\":\"success\",\"data\":[]}");
    assertThat(get("/api/v1/metadata").contentUtf8())
        .isEqualTo("{\"status\":\"success\",\"data\":{}}");
    assertThat(get("/api/v1/status/buildinfo").contentUtf8()).startsWith(
        "{\"status\":\"success\",\"data\":{\"version\":");
  }
}
