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
import dev.sextant.storage.metrics.UserRegex;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User regexes over the real Prometheus HTTP API (real store, real Armeria server): RE2 syntax
 * works, anything else (backreferences, lookaround, over the limits) is a 400 naming the
 * parameter and the problem.
 */
class RegexParametersTest {
  @TempDir
  static Path dir;
  private static MetricStore store;
  private static Server server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    store = EmbeddedMetricStore.builder(dir.resolve("db")).syncWrites(false).build();
    long[] ts = {0, 30_000, 60_000};
    store.write(List.of(
        new TimeSeries(Labels.of("__name__", "up", "job", "api", "instance", "host-1:9090"), ts,
            new double[] {1, 1, 1}),
        new TimeSeries(Labels.of("__name__", "up", "job", "db", "instance", "host-2:5432"), ts,
            new double[] {0, 1, 1}))).join();
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

  private static AggregatedHttpResponse get(String path) {
    return client.get(path).aggregate().join();
  }

  private static AggregatedHttpResponse query(String q) {
    return get("/api/v1/query?time=60&query=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
  }

  @Test
  void query_unsupportedRegexSyntax_400NamingQueryAndProblem() {
    AggregatedHttpResponse r = query("up{job=~\"(?=a)pi\"}");
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).startsWith("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"invalid parameter \\\"query\\\": 1:9: parse error: invalid regular "
        + "expression \\\"(?=a)pi\\\": error parsing regexp: invalid or unsupported Perl "
        + "syntax: `(?=`");
    AggregatedHttpResponse backref = query("up{job!~\"(a)\\\\1\"}");
    assertThat(backref.status().code()).isEqualTo(400);
    assertThat(backref.contentUtf8()).contains("invalid parameter \\\"query\\\"")
        .contains("invalid escape sequence: `\\\\1`");
  }

  @Test
  void labelReplace_unsupportedRegexSyntax_400() {
    AggregatedHttpResponse r = query(
        "label_replace(up, \"port\", \"$1\", \"instance\", \"(?<=:)(.*)\")");
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).contains("\"errorType\":\"bad_data\"").contains(
        "invalid parameter \\\"query\\\": invalid regular expression in label_replace(): "
            + "\\\"(?<=:)(.*)\\\": error parsing regexp: invalid named capture");
  }

  @Test
  void seriesAndLabelValues_unsupportedRegexInMatch_400NamingMatch() {
    for (String path : new String[] {"/api/v1/series", "/api/v1/labels",
        "/api/v1/label/job/values"}) {
      AggregatedHttpResponse r = get(path + "?match[]="
          + URLEncoder.encode("up{job=~\"(?!db)\"}", StandardCharsets.UTF_8));
      assertThat(r.status().code()).as(path).isEqualTo(400);
      assertThat(r.contentUtf8()).as(path).contains("invalid parameter \\\"match[]\\\"")
          .contains("invalid or unsupported Perl syntax: `(?!`");
    }
  }

  @Test
  void query_regexOverLengthLimit_400() {
    String huge = "a".repeat(UserRegex.MAX_LENGTH + 1);
    HttpRequest req = HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/api/v1/query")
        .contentType(MediaType.FORM_DATA).build(), HttpData.ofUtf8("time=60&query="
        + URLEncoder.encode("up{job=~\"" + huge + "\"}", StandardCharsets.UTF_8)));
    AggregatedHttpResponse r = client.execute(req).aggregate().join();
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).contains("invalid parameter \\\"query\\\"")
        .contains("expression too long: 16385 characters (expected: <= 16384)");
    AggregatedHttpResponse big = query("up{job=~\"((a{100}){100}){100}\"}");
    assertThat(big.status().code()).isEqualTo(400);
    assertThat(big.contentUtf8()).contains("expression too large");
  }

  @Test
  void query_re2Syntax_matchesAsPrometheus() {
    // POSIX classes and (?P<name>) are RE2, not java.util.regex; anchoring is full.
    assertThat(query("count(up{job=~\"[[:alpha:]]+\"})").contentUtf8()).contains("\"2\"");
    assertThat(query("count(up{job=~\"a\"})").contentUtf8()).contains("\"result\":[]");
    assertThat(query("count(up{job=~\"(?i)API|DB\"})").contentUtf8()).contains("\"2\"");
    String body = query("label_replace(up{job=\"db\"}, \"port\", \"${p}/$1\", \"instance\", "
        + "\"(?P<h>[^:]+):(?P<p>\\\\d+)\")").contentUtf8();
    assertThat(body).contains("\"port\":\"5432/host-2\"");
  }
}
