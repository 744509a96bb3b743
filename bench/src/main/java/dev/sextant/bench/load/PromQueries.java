package dev.sextant.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs PromQL instant and range queries against any Prometheus-compatible API
 * ({@code /api/v1/query}, {@code /api/v1/query_range}).
 */
final class PromQueries {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The queries both Sextant and Prometheus answer, timed side by side. */
  static final List<String> QUERIES = List.of(
      "sum(rate(bench_requests_total[1m]))",
      "sum by (service) (rate(bench_requests_total[1m]))",
      "histogram_quantile(0.99, sum by (le) (rate(bench_latency_seconds_bucket[1m])))",
      "topk(5, bench_memory_bytes)",
      "avg by (service) (bench_cpu_utilization)",
      "bench_requests_total{service=\"svc-1\",code=\"500\"}");

  private PromQueries() {}

  /** The {@code data.result} of an instant query at {@code timeSeconds}; fails on an error. */
  static JsonNode query(String http, String promql, double timeSeconds) throws Exception {
    Http.Response r = Http.post(http + "/api/v1/query", "query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + timeSeconds);
    if (r.status() != 200) {
      throw new IllegalStateException(http + " " + promql + ": " + r.status() + " " + r.body());
    }
    JsonNode body = JSON.readTree(r.body());
    if (!"success".equals(body.path("status").asText())) {
      throw new IllegalStateException(http + " " + promql + ": " + r.status() + " " + r.body());
    }
    return body.path("data").path("result");
  }

  /**
   * The whole answer ({@code status}, {@code data}, any {@code warnings}) of a range query over
   * {@code [startSeconds, endSeconds]} at {@code stepSeconds}; fails on an error.
   */
  static JsonNode range(String http, String promql, long startSeconds, long endSeconds,
      long stepSeconds) throws Exception {
    Http.Response r = Http.post(http + "/api/v1/query_range", "query="
        + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&start=" + startSeconds + "&end="
        + endSeconds + "&step=" + stepSeconds);
    JsonNode body = r.status() == 200 ? JSON.readTree(r.body()) : null;
    if (body == null || !"success".equals(body.path("status").asText())) {
      throw new IllegalStateException(http + " " + promql + ": " + r.status() + " " + r.body());
    }
    return body;
  }

  /** A scalar-like answer: the value of the first result (0 when the result is empty). */
  static double value(String http, String promql, double timeSeconds) throws Exception {
    JsonNode result = query(http, promql, timeSeconds);
    return result.isEmpty() ? 0 : Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  /**
   * Samples stored for {@code job} within {@code rangeSeconds} before {@code timeSeconds}, one
   * metric name at a time ({@code count_over_time} drops the name, so a single query over every
   * name would hold duplicate label sets, an error in PromQL).
   */
  static long samples(String http, String job, long rangeSeconds, double timeSeconds)
      throws Exception {
    Http.Response r = Http.get(http + "/api/v1/label/__name__/values?match[]="
        + URLEncoder.encode("{job=\"" + job + "\"}", StandardCharsets.UTF_8));
    JsonNode names = JSON.readTree(r.body()).path("data");
    if (r.status() != 200 || !names.isArray()) {
      throw new IllegalStateException(http + " metric names: " + r.status() + " " + r.body());
    }
    long total = 0;
    for (JsonNode name : names) {
      total += Math.round(value(http, "sum(count_over_time(" + name.asText() + "{job=\"" + job
          + "\"}[" + rangeSeconds + "s]))", timeSeconds));
    }
    return total;
  }
}
