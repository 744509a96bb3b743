package dev.sextant.query.promql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.query.promql.parser.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The queries alert rules run most, instant queries every evaluation interval, are answered by
 * the fast paths without loading any series for step-by-step evaluation: the sample shop's
 * rules ({@code samples/rules/shop-alerts.yml}) and issue 18's benchmark query.
 */
class FastPathCoverageTest {
  private static final List<String> FAST = List.of(
      "sum by (job) (rate(x[5m]))",
      "rate(x[5m])",
      "sum by (job) (rate(http_errors_total[1m]))\n"
          + "  / sum by (job) (rate(http_requests_total[1m])) > 0.05",
      "histogram_quantile(0.99,\n"
          + "  sum by (job, le) (rate(http_request_duration_seconds_bucket[1m]))) > 1",
      "sum by (service_name) (rate(traces_span_metrics_errors_total{service_name=\"payments\", "
          + "span_kind=\"SPAN_KIND_SERVER\"}[1m]))\n"
          + "  / sum by (service_name) (rate(traces_span_metrics_calls_total{"
          + "service_name=\"payments\", span_kind=\"SPAN_KIND_SERVER\"}[1m])) > 0.1",
      "max by (job, breaker) (max_over_time(circuit_breaker_state{state=\"open\"}[1m])) == 1");

  private static boolean fast(String query) {
    Evaluator ev = new Evaluator(new InMemoryMetricReader(List.of()), EngineOptions.defaults(),
        query, 1_000_000, 1_000_000, 0, true);
    ev.load(Parser.parse(query));
    return ev.allFast();
  }

  @Test
  void load_alertRuleQueriesTakeTheFastPaths() {
    for (String q : FAST) {
      assertThat(fast(q)).as(q).isTrue();
    }
  }

  @Test
  void load_otherQueriesAreLoadedForStepByStep() {
    assertThat(fast("topk(3, x)")).isFalse();
    assertThat(fast("rate(x[5m] @ 100)")).isFalse();
  }
}
