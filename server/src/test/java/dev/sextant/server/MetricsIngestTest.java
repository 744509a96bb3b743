package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SDK metric exporters (gRPC and HTTP) → Prometheus-named series in the metrics store. */
class MetricsIngestTest {
  @TempDir
  Path dataDir;

  private static SdkMeterProvider provider(String service, MetricExporter exporter) {
    return SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service,
            AttributeKey.stringKey("service.instance.id"), service + "-1",
            AttributeKey.stringKey("host.name"), "box")))
        .registerMetricReader(PeriodicMetricReader.builder(exporter)
            .setInterval(Duration.ofHours(1)).build())
        .build();
  }

  @Test
  void sdkExporters_seriesFollowPrometheusConventions() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).retention(TestStorage.KEEP_ALL).build()) {
      server.start();
      SdkMeterProvider grpc = provider("checkout", OtlpGrpcMetricExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.grpcPort()).build());
      SdkMeterProvider http = provider("cart", OtlpHttpMetricExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/metrics").build());
      record(grpc.get("test"));
      record(http.get("test"));
      assertThat(grpc.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(http.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      grpc.shutdown().join(10, TimeUnit.SECONDS);
      http.shutdown().join(10, TimeUnit.SECONDS);

      // The same series through the Prometheus HTTP API, as Grafana would query them.
      TestClient.Response r = TestClient.get(server.httpPort(),
          "/api/v1/query?query=sum%20by%20(job)%20(http_requests_total)");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().get("status").asText()).isEqualTo("success");
      assertThat(r.json().get("data").get("resultType").asText()).isEqualTo("vector");
      assertThat(r.json().get("data").get("result")).hasSize(2);
      assertThat(r.json().get("data").get("result").get(0).get("value").get(1).asText())
          .isEqualTo("5");
      TestClient.Response bad = TestClient.get(server.httpPort(), "/api/v1/query?query=sum(");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.json().get("errorType").asText()).isEqualTo("bad_data");
    }
    try (Storage storage = TestStorage.open(dataDir)) {
      var reader = storage.metricReader();
      List<Series> requests = reader.select(List.of(
          LabelMatcher.eq("__name__", "http_requests_total"),
          LabelMatcher.eq("job", "checkout")), 0, Long.MAX_VALUE);
      assertThat(requests).singleElement().satisfies(s -> {
        assertThat(s.labels().get("instance")).isEqualTo("checkout-1");
        assertThat(s.labels().get("http_route")).isEqualTo("/pay");
        assertThat(s.labels().get("otel_scope_name")).isEqualTo("test");
        assertThat(last(s)).isEqualTo(5.0);
      });
      assertThat(reader.select(List.of(LabelMatcher.eq("__name__", "http_requests_total"),
          LabelMatcher.eq("job", "cart")), 0, Long.MAX_VALUE)).hasSize(1);
      List<Series> buckets = reader.select(List.of(
          LabelMatcher.eq("__name__", "http_server_duration_seconds_bucket"),
          LabelMatcher.eq("job", "checkout")), 0, Long.MAX_VALUE);
      assertThat(buckets).extracting(s -> s.labels().get("le")).contains("0.005", "0.1", "+Inf");
      assertThat(buckets).filteredOn(s -> s.labels().get("le").equals("+Inf"))
          .singleElement().satisfies(s -> assertThat(last(s)).isEqualTo(3.0));
      assertThat(reader.select(List.of(
          LabelMatcher.eq("__name__", "http_server_duration_seconds_sum")), 0, Long.MAX_VALUE))
          .hasSize(2);
      assertThat(reader.select(List.of(LabelMatcher.eq("__name__", "queue_size_ratio")), 0,
          Long.MAX_VALUE)).isEmpty();
      assertThat(reader.select(List.of(LabelMatcher.eq("__name__", "jobs_queue_depth"),
          LabelMatcher.eq("job", "checkout")), 0, Long.MAX_VALUE)).singleElement()
          .satisfies(s -> assertThat(last(s)).isEqualTo(7.0));
      assertThat(reader.select(List.of(LabelMatcher.eq("__name__", "target_info"),
          LabelMatcher.eq("host_name", "box")), 0, Long.MAX_VALUE)).hasSize(2);
    }
  }

  @Test
  void otlpJsonMetricsExample_isStoredUnchangedInMeaning() throws Exception {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).retention(TestStorage.KEEP_ALL).build()) {
      server.start();
      byte[] json = getClass().getResourceAsStream("/otlp/metrics.json").readAllBytes();
      var r = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort())
          .execute(RequestHeaders.builder(
              HttpMethod.POST, "/v1/metrics")
              .contentType(MediaType.JSON).build(),
              HttpData.wrap(json)).aggregate().join();
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
      assertThat(r.contentUtf8()).doesNotContain("rejected");
    }
    long t = 1544712660300L;
    try (Storage storage = TestStorage.open(dataDir)) {
      var reader = storage.metricReader();
      assertThat(only(reader, "my_counter_total")).satisfies(s -> {
        assertThat(s.labels().get("job")).isEqualTo("my.service");
        assertThat(s.labels().get("my_counter_attr")).isEqualTo("some value");
        assertThat(s.labels().get("otel_scope_name")).isEqualTo("my.library");
        SampleIterator it = s.samples();
        assertThat(it.next()).isTrue();
        assertThat(it.timestamp()).isEqualTo(t);
        assertThat(it.value()).isEqualTo(5.0);
      });
      assertThat(last(only(reader, "my_gauge_ratio"))).isEqualTo(10.0);
      assertThat(last(only(reader, "my_histogram_count"))).isEqualTo(2.0);
      assertThat(last(only(reader, "my_histogram_sum"))).isEqualTo(2.0);
      assertThat(reader.select(List.of(LabelMatcher.eq("__name__", "my_histogram_bucket")), 0,
          Long.MAX_VALUE)).extracting(s -> s.labels().get("le") + "=" + last(s))
          .containsExactlyInAnyOrder("1=1.0", "+Inf=2.0");
      assertThat(reader.select(List.of(LabelMatcher.eq("__name__",
          "my_exponential_histogram_bucket")), 0, Long.MAX_VALUE))
          .extracting(s -> s.labels().get("le") + "=" + last(s))
          .containsExactlyInAnyOrder("0=1.0", "4=1.0", "8=3.0", "+Inf=3.0");
    }
  }

  private static Series only(MetricReader r, String name) {
    List<Series> s = r.select(List.of(LabelMatcher.eq("__name__", name)), 0, Long.MAX_VALUE);
    assertThat(s).as(name).hasSize(1);
    return s.get(0);
  }

  private static void record(Meter meter) {
    meter.counterBuilder("http.requests").setUnit("{request}").build()
        .add(5, Attributes.of(AttributeKey.stringKey("http.route"), "/pay"));
    var hist = meter.histogramBuilder("http.server.duration").setUnit("s")
        .setExplicitBucketBoundariesAdvice(List.of(0.005, 0.1, 1.0)).build();
    hist.record(0.003);
    hist.record(0.05);
    hist.record(2.0);
    meter.gaugeBuilder("jobs.queue.depth").ofLongs().buildWithCallback(m -> m.record(7));
  }

  private static double last(Series s) {
    SampleIterator it = s.samples();
    double v = Double.NaN;
    while (it.next()) {
      v = it.value();
    }
    return v;
  }
}
