package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusNamesTest {
  @Test
  void metricName_followsTheOtelPrometheusCompatibilitySpec() {
    assertThat(PrometheusNames.metricName("http.server.duration", "s", false, false))
        .isEqualTo("http_server_duration_seconds");
    assertThat(PrometheusNames.metricName("http.requests", "{request}", true, false))
        .isEqualTo("http_requests_total");
    assertThat(PrometheusNames.metricName("net.io", "By/s", false, true))
        .isEqualTo("net_io_bytes_per_second");
    assertThat(PrometheusNames.metricName("cpu.utilization", "1", false, true))
        .isEqualTo("cpu_utilization_ratio");
    assertThat(PrometheusNames.metricName("jvm.memory.used", "By", false, true))
        .isEqualTo("jvm_memory_used_bytes");
    assertThat(PrometheusNames.metricName("latency_seconds", "s", false, false))
        .isEqualTo("latency_seconds");
    assertThat(PrometheusNames.metricName("requests_total", "", true, false))
        .isEqualTo("requests_total");
    assertThat(PrometheusNames.metricName("2xx-count", "", true, false))
        .isEqualTo("_2xx_count_total");
  }

  @Test
  void labelName_replacesInvalidCharacters() {
    assertThat(PrometheusNames.labelName("http.route")).isEqualTo("http_route");
    assertThat(PrometheusNames.labelName("k8s.pod/name")).isEqualTo("k8s_pod_name");
    assertThat(PrometheusNames.labelName("1abc")).isEqualTo("_1abc");
  }
}
