package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.sextant.server.tenancy.TenantLimits;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.SeriesLimits;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-tenant series limits through the real OTLP/HTTP endpoint into each tenant's real store:
 * refusals come back as partial success naming the limit and are counted in {@code /metrics},
 * samples of existing series keep being accepted, and a tenant's override gives it more.
 */
class SeriesLimitsEndToEndTest {
  @TempDir
  Path dataDir;

  private static final TenantLimits LIMITS = TenantLimits.of(
      new SeriesLimits("default", 20, 0, 1024, 2048, 30),
      Map.of("big", new SeriesLimits("big", 100, 0, 1024, 2048, 30)));

  @Test
  void seriesLimit_refusesNewSeriesWithPartialSuccessWhileExistingSeriesKeepAccepting()
      throws Exception {
    long t1 = System.currentTimeMillis() - 60_000;
    try (SextantServer server = server()) {
      server.start();
      int port = server.otlpHttpPort();

      assertThat(export(port, "small", gauge("g", 0, 20, t1))).isNull();
      // The same 20 series a minute later, plus 30 new ones: only the new ones are refused.
      List<NumberDataPoint> next = new ArrayList<>(points(0, 20, t1 + 30_000));
      next.addAll(points(20, 30, t1 + 30_000));
      ExportMetricsServiceResponse r = export(port, "small", request("g", next));
      assertThat(r.getPartialSuccess().getRejectedDataPoints()).isEqualTo(30);
      assertThat(r.getPartialSuccess().getErrorMessage()).isEqualTo(
          "per-tenant series limit of 20 reached for tenant \"small\""
              + " (max_global_series_per_user)");

      // The override: tenant "big" may have 100.
      assertThat(export(port, "big", gauge("g", 0, 50, t1))).isNull();

      String metrics = TestClient.get(server.httpPort(), "/metrics").body();
      assertThat(metrics.lines().filter(l -> l.startsWith("sextant_discarded_samples_total{")
          && l.contains("tenant=\"small\"") && l.contains("reason=\"per_user_series_limit\"")))
          .singleElement().satisfies(l -> assertThat(l).endsWith(" 30.0"));
    }
    try (Storage small = TestStorage.open(dataDir.resolve("tenants").resolve("small"));
         Storage big = TestStorage.open(dataDir.resolve("tenants").resolve("big"))) {
      List<Series> g = small.metricReader().select(List.of(LabelMatcher.eq("__name__", "g")), 0,
          Long.MAX_VALUE);
      assertThat(g).hasSize(20);
      for (Series s : g) {
        assertThat(count(s)).as(s.labels().toString()).isEqualTo(2);
      }
      assertThat(big.metricReader().select(List.of(LabelMatcher.eq("__name__", "g")), 0,
          Long.MAX_VALUE)).hasSize(50);
    }
  }

  @Test
  void labelsTooLongOrTooMany_areRefusedWithTheirReasons() throws Exception {
    long t = System.currentTimeMillis();
    try (SextantServer server = server()) {
      server.start();
      int port = server.otlpHttpPort();
      ExportMetricsServiceResponse value = export(port, "lbl", request("v", List.of(
          point(t, "a", "x".repeat(3000)))));
      assertThat(value.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
      assertThat(value.getPartialSuccess().getErrorMessage()).isEqualTo("value of label \"a\""
          + " of metric \"v\" has 3000 characters (expected: <= 2048)"
          + " (max_label_value_length)");

      ExportMetricsServiceResponse name = export(port, "lbl", request("n", List.of(
          point(t, "k".repeat(1100), "x"))));
      assertThat(name.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
      assertThat(name.getPartialSuccess().getErrorMessage()).startsWith("label name \"kkk")
          .endsWith("of metric \"n\" has 1100 characters (expected: <= 1024)"
              + " (max_label_name_length)");

      String[] many = new String[2 * 35];
      for (int i = 0; i < 35; i++) {
        many[2 * i] = "attr" + i;
        many[2 * i + 1] = "v";
      }
      ExportMetricsServiceResponse wide = export(port, "lbl", request("w", List.of(
          point(t, many))));
      assertThat(wide.getPartialSuccess().getRejectedDataPoints()).isEqualTo(1);
      // 35 attributes + __name__ + job
      assertThat(wide.getPartialSuccess().getErrorMessage()).isEqualTo("series of metric \"w\""
          + " has 37 labels (expected: <= 30) (max_label_names_per_series)");

      // A good point in the same tenant is stored.
      assertThat(export(port, "lbl", request("ok", List.of(point(t, "a", "b"))))).isNull();
      String metrics = TestClient.get(server.httpPort(), "/metrics").body();
      for (String reason : List.of("label_value_too_long", "label_name_too_long",
          "max_label_names_per_series")) {
        assertThat(metrics).contains("reason=\"" + reason + "\",tenant=\"lbl\"} 1.0");
      }
    }
  }

  private SextantServer server() {
    return SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1").grpcPort(0)
        .otlpHttpPort(0).httpPort(0).retention(TestStorage.KEEP_ALL).tenantLimits(LIMITS)
        .spanMetricsInterval(Duration.ZERO).build();
  }

  /** The partial success of the export, or null when everything was accepted. */
  private static ExportMetricsServiceResponse export(int port, String tenant,
      ExportMetricsServiceRequest request) throws Exception {
    AggregatedHttpResponse r = SecuredServers.post(port, "/v1/metrics", request.toByteArray(),
        "x-scope-orgid", tenant);
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    ExportMetricsServiceResponse resp = ExportMetricsServiceResponse.parseFrom(
        r.content().array());
    return resp.hasPartialSuccess() ? resp : null;
  }

  private static ExportMetricsServiceRequest gauge(String name, int from, int n, long t) {
    return request(name, points(from, n, t));
  }

  private static ExportMetricsServiceRequest request(String name, List<NumberDataPoint> points) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "svc")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName(name)
            .setGauge(Gauge.newBuilder().addAllDataPoints(points))))).build();
  }

  private static List<NumberDataPoint> points(int from, int n, long t) {
    List<NumberDataPoint> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      out.add(point(t, "i", Integer.toString(i)));
    }
    return out;
  }

  private static NumberDataPoint point(long t, String... attrs) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000L)
        .setAsDouble(1);
    for (int i = 0; i < attrs.length; i += 2) {
      p.addAttributes(kv(attrs[i], attrs[i + 1]));
    }
    return p.build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static int count(Series s) {
    SampleIterator it = s.samples();
    int n = 0;
    while (it.next()) {
      n++;
    }
    return n;
  }
}
