package dev.sextant.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MetricsTargetTest {
  @Test
  void metrics_servesTheRequestedSeriesInTextFormat() throws Exception {
    try (MetricsTarget target = new MetricsTarget(1000, 50)) {
      Http.Response first = Http.get("http://127.0.0.1:" + target.port() + "/metrics");
      assertThat(first.status()).isEqualTo(200);
      long samples = Arrays.stream(first.body().split("\n")).filter(l -> !l.startsWith("#"))
          .count();
      assertThat(samples).isEqualTo(target.seriesCount()).isBetween(990L, 1000L);
      assertThat(first.body()).contains("bench_latency_seconds_bucket{", "le=\"+Inf\"",
          "bench_requests_total{", "bench_memory_bytes{", "bench_cpu_utilization{");
      Thread.sleep(120);
      Http.Response second = Http.get("http://127.0.0.1:" + target.port() + "/metrics");
      assertThat(second.body()).isNotEqualTo(first.body()); // values move every tick
      assertThat(target.scrapes()).isEqualTo(2);
    }
  }

  @Test
  void procStats_readsThisProcess() {
    long pid = ProcessHandle.current().pid();
    assertThat(ProcStats.cpuSeconds(pid)).isPositive();
    assertThat(ProcStats.rssBytes(pid)).isGreaterThan(1 << 20);
  }
}
