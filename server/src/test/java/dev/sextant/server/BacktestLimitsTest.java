package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/alerts/backtest} on a real server: refused up front past the evaluation cap
 * or with a bad parameter, and stopped at its deadline ({@code backtestTimeout}, here 300 ms).
 */
class BacktestLimitsTest {
  private static final long WEEK_S = 7 * 86_400;
  private static final long NOW_S = System.currentTimeMillis() / 1000;

  @TempDir
  static Path dir;
  private static SextantServer server;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    server = SextantServer.builder().dataDir(dir.resolve("data")).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).backtestTimeout(Duration.ofMillis(300))
        .enableAdminApi(true) // backtests are admin actions with auth off
        .build();
    server.start();
    client = WebClient.builder("http://127.0.0.1:" + server.httpPort())
        .responseTimeoutMillis(60_000).build();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  /** A rule file of {@code n} alerting rules at a 1m interval, each running {@code expr}. */
  static String rules(int n, String expr) {
    StringBuilder sb = new StringBuilder("groups:\n  - name: g\n    interval: 1m\n    rules:\n");
    for (int i = 0; i < n; i++) {
      sb.append("      - alert: A").append(i).append("\n        expr: ").append(expr)
          .append('\n');
    }
    return sb.toString();
  }

  static AggregatedHttpResponse post(String query, String body) {
    return client.execute(RequestHeaders.builder(HttpMethod.POST, "/api/alerts/backtest?" + query)
        .contentType(MediaType.parse("application/yaml")).build(), body).aggregate().join();
  }

  @Test
  void backtest_overTheEvaluationCap_is400NamingTheLimit() {
    // 10 rules x 10,081 evaluations over a week at 1m = 100,810 > 100,000.
    AggregatedHttpResponse r = post("from=" + (NOW_S - WEEK_S) + "&to=" + NOW_S + "&step=1m",
        rules(10, "vector(1) > 2"));
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(400);
    assertThat(r.contentUtf8()).contains("backtest: 100810 rule evaluations (limit: 100000; "
        + "shorten the range or send fewer rules)");
  }

  @Test
  void backtest_badParameters_are400() {
    String body = rules(1, "vector(1) > 2");
    for (String q : new String[] {"from=1e309&to=" + NOW_S, "from=NaN&to=" + NOW_S,
        "from=" + (NOW_S - 60) + "&to=" + NOW_S + "&step=NaN",
        "from=" + (NOW_S - 60) + "&to=" + NOW_S + "&step=0",
        "from=" + (NOW_S - 60) + "&to=" + NOW_S + "&step=-1",
        "from=" + (NOW_S - 60) + "&to=" + NOW_S + "&step=" + "9".repeat(5_000) + "y",
        "from=" + (NOW_S - 60) + "&to=" + NOW_S + "&step=1ms"}) {
      AggregatedHttpResponse r = post(q, body);
      assertThat(r.status().code()).as(q + " -> " + r.contentUtf8()).isEqualTo(400);
      assertThat(r.contentUtf8()).containsAnyOf("\"error\":\"from: ", "\"error\":\"step: ");
    }
  }

  @Test
  void backtest_pastItsDeadline_stopsWith503() {
    // 9 rules x 10,081 evaluations of a 1,440-step subquery: minutes unbounded.
    long t0 = System.nanoTime();
    AggregatedHttpResponse r = post("from=" + (NOW_S - WEEK_S) + "&to=" + NOW_S + "&step=1m",
        rules(9, "count_over_time(vector(1)[1d:1m]) > 1e9"));
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(503);
    assertThat(r.contentUtf8()).contains("backtest: deadline of 300 ms exceeded at ")
        .contains("the limit is alerting.backtestTimeout");
    // Generous for a loaded box; the replay stops within a query of its deadline.
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(30_000);
    // and the server still answers a small backtest
    assertThat(post("from=" + (NOW_S - 60) + "&to=" + NOW_S, rules(1, "vector(1) > 2"))
        .status().code()).isEqualTo(200);
  }
}
