package dev.sextant.collector.remotewrite;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.collector.Collector;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.collector.remotewrite.prompb.Remote.WriteRequest;
import dev.sextant.collector.remotewrite.prompb.Types;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Remote write over HTTP into a real collector and metric store: what is stored, and the status
 * codes a Prometheus sender acts on (204 done, 400/413/415 dropped, 429/503 retried).
 */
class RemoteWriteServiceTest {
  private static final long T0 = 1_700_000_000_000L;

  @TempDir
  Path dir;

  private MetricStore store;
  private Collector collector;
  private Server server;
  private WebClient client;

  private void start(IngestLimits limits, RateLimits rates) {
    store = EmbeddedMetricStore.open(dir);
    collector = Collector.builder().spanConsumer(spans -> CompletableFuture.completedFuture(null))
        .metricWriter(store).limits(limits).rateLimits(rates).redMetricsInterval(
            Duration.ZERO).build();
    ServerBuilder sb = Server.builder().http(0);
    sb.service(collector.httpService());
    server = sb.build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  private void start() {
    start(IngestLimits.defaults(), RateLimits.unlimited());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().join();
    }
    if (collector != null) {
      collector.close();
    }
    if (store != null) {
      store.close();
    }
  }

  static Types.TimeSeries series(String... labelsThenSamples) {
    Types.TimeSeries.Builder b = Types.TimeSeries.newBuilder();
    int i = 0;
    for (; i + 1 < labelsThenSamples.length && !labelsThenSamples[i].equals("@"); i += 2) {
      b.addLabels(Types.Label.newBuilder().setName(labelsThenSamples[i])
          .setValue(labelsThenSamples[i + 1]));
    }
    for (i++; i + 1 < labelsThenSamples.length; i += 2) {
      b.addSamples(Types.Sample.newBuilder().setTimestamp(Long.parseLong(labelsThenSamples[i]))
          .setValue(Double.parseDouble(labelsThenSamples[i + 1])));
    }
    return b.build();
  }

  private AggregatedHttpResponse post(byte[] body, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/api/v1/write")
        .contentType(MediaType.parse("application/x-protobuf"))
        .add("content-encoding", "snappy")
        .add(RemoteWriteService.VERSION_HEADER, "0.1.0");
    for (int i = 0; i < headers.length; i += 2) {
      h.set(headers[i], headers[i + 1]);
    }
    return client.execute(h.build(), HttpData.wrap(body)).aggregate().join();
  }

  private AggregatedHttpResponse post(WriteRequest request, String... headers) throws Exception {
    return post(Snappy.compress(request.toByteArray()), headers);
  }

  private List<double[]> samples(String metric) {
    List<double[]> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("__name__", metric)), 0,
        Long.MAX_VALUE)) {
      SampleIterator it = s.samples();
      while (it.next()) {
        out.add(new double[] {it.timestamp(), it.value()});
      }
    }
    return out;
  }

  @Test
  void write_validRequest_204AndSamplesAndMetadataStored() throws Exception {
    start();
    WriteRequest request = WriteRequest.newBuilder()
        .addTimeseries(series("__name__", "http_requests_total", "job", "api", "empty", "",
            "@", String.valueOf(T0), "1", String.valueOf(T0 + 15_000), "3"))
        .addMetadata(Types.MetricMetadata.newBuilder().setMetricFamilyName("http_requests_total")
            .setType(Types.MetricMetadata.MetricType.COUNTER).setHelp("Requests.").build())
        .build();
    AggregatedHttpResponse r = post(request);
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(204);
    assertThat(samples("http_requests_total")).containsExactly(
        new double[] {T0, 1}, new double[] {T0 + 15_000, 3});
    // The empty label is absent, as in Prometheus.
    assertThat(store.select(List.of(LabelMatcher.eq("__name__", "http_requests_total")), 0,
        Long.MAX_VALUE).get(0).labels().has("empty")).isFalse();
    assertThat(store.metadata("http_requests_total", -1, 0).get("http_requests_total"))
        .containsExactly(new MetricMetadata("http_requests_total", MetricMetadata.Type.COUNTER,
            "Requests.", ""));
  }

  @Test
  void write_outOfOrderAndDuplicateSamples_204AndDroppedByTheStore() throws Exception {
    start();
    assertThat(post(WriteRequest.newBuilder().addTimeseries(
        series("__name__", "g", "@", String.valueOf(T0 + 1000), "1")).build()).status().code())
        .isEqualTo(204);
    AggregatedHttpResponse r = post(WriteRequest.newBuilder().addTimeseries(series(
        "__name__", "g", "@", String.valueOf(T0), "5", String.valueOf(T0 + 1000), "6",
        String.valueOf(T0 + 2000), "7")).build());
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(204);
    assertThat(samples("g")).containsExactly(new double[] {T0 + 1000, 1},
        new double[] {T0 + 2000, 7});
    assertThat(store.outOfOrderSamples()).isEqualTo(1);
    assertThat(store.duplicateSamples()).isEqualTo(1);
  }

  @Test
  void write_invalidSeries_400NamingTheFirstAndTheOthersStored() throws Exception {
    start(IngestLimits.builder().maxAttributes(3).maxAttributeValueLength(10).build(),
        RateLimits.unlimited());
    String t = String.valueOf(T0);
    WriteRequest request = WriteRequest.newBuilder()
        .addTimeseries(series("job", "x", "@", t, "1")) // no __name__
        .addTimeseries(series("__name__", "ok", "@", t, "2"))
        .addTimeseries(series("__name__", "bad-name", "@", t, "3"))
        .addTimeseries(series("__name__", "m", "1abc", "v", "@", t, "4"))
        .addTimeseries(series("__name__", "m", "long", "01234567890", "@", t, "5"))
        .addTimeseries(series("__name__", "m", "a", "1", "b", "2", "c", "3", "@", t, "6"))
        .addTimeseries(series("__name__", "m", "a", "1", "a", "2", "@", t, "7"))
        .build();
    AggregatedHttpResponse r = post(request);
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).startsWith("6 of 7 samples rejected, the others were stored"
        + " (do not resend this batch): series {job=\"x\"}: no metric name (expected: a non-empty"
        + " __name__ label)");
    assertThat(samples("ok")).containsExactly(new double[] {T0, 2});
    assertThat(samples("m")).isEmpty();
    // Each problem, alone, is named with its limit.
    assertThat(post(WriteRequest.newBuilder().addTimeseries(series("__name__", "m", "long",
        "01234567890", "@", t, "5")).build()).contentUtf8()).contains(
        "value of label long is 11 characters (expected: <= 10, maxAttributeValueLength)");
    assertThat(post(WriteRequest.newBuilder().addTimeseries(series("__name__", "m", "a", "1",
        "b", "2", "c", "3", "@", t, "6")).build()).contentUtf8())
        .contains("4 labels (expected: <= 3, maxAttributes)");
    assertThat(post(WriteRequest.newBuilder().addTimeseries(series("__name__", "bad-name", "@",
        t, "3")).build()).contentUtf8()).contains("invalid metric name 'bad-name'");
    assertThat(post(WriteRequest.newBuilder().addTimeseries(series("__name__", "m", "a", "1",
        "a", "2", "@", t, "7")).build()).contentUtf8()).contains("label a given twice");
  }

  @Test
  void write_corruptSnappy_400() {
    start();
    AggregatedHttpResponse r = post(new byte[] {10, 0x01 << 2 | 1, 9});
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).startsWith("body: not a snappy block (snappy: ");
  }

  @Test
  void write_declaredLengthOverMaxRequestBytes_413() {
    start(IngestLimits.builder().maxRequestBytes(64 << 10).build(), RateLimits.unlimited());
    // Declares 1 MiB in 4 bytes: refused on the preamble, before any buffer is allocated.
    AggregatedHttpResponse r = post(new byte[] {(byte) 0x80, (byte) 0x80, 0x40, 0});
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(r.contentUtf8()).isEqualTo("body: snappy: declared decoded length 1048576 bytes"
        + " (expected: <= 65536, maxRequestBytes)\n");
  }

  @Test
  void write_badProtobuf_400() throws Exception {
    start();
    AggregatedHttpResponse r = post(Snappy.compress(new byte[] {0x0a, 0x7f, 1, 2, 3}));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).startsWith(
        "body: malformed remote write request (protobuf prometheus.WriteRequest): ");
  }

  @Test
  void write_overTenantRateLimit_429WithRetryAfterAndNothingStored() throws Exception {
    start(IngestLimits.defaults(), RateLimits.create().tenantLimit("t1", Signal.METRICS,
        new RateLimits.Limit(1, 2)));
    WriteRequest five = WriteRequest.newBuilder().addTimeseries(series("__name__", "r", "@",
        "1", "1", "2", "2", "3", "3", "4", "4", "5", "5")).build();
    // A batch over the burst is let through once, on a full bucket, leaving it in debt.
    assertThat(post(five, "x-scope-orgid", "t1").status().code()).isEqualTo(204);
    WriteRequest next = WriteRequest.newBuilder().addTimeseries(series("__name__", "r", "@",
        "6", "6", "7", "7")).build();
    AggregatedHttpResponse r = post(next, "x-scope-orgid", "t1");
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("retry-after")).isNotNull();
    assertThat(r.contentUtf8()).contains("tenant 't1' is over its metrics rate limit");
    assertThat(samples("r")).hasSize(5);
    assertThat(post(next).status().code()).as("another tenant").isEqualTo(204);
  }

  @Test
  void write_wrongEncodingVersionOrMethod_refusedNamingIt() throws Exception {
    start();
    WriteRequest one = WriteRequest.newBuilder().addTimeseries(series("__name__", "x", "@", "1",
        "1")).build();
    AggregatedHttpResponse gzip = post(one, "content-encoding", "gzip");
    assertThat(gzip.status().code()).isEqualTo(415);
    assertThat(gzip.contentUtf8()).isEqualTo("Content-Encoding: gzip (expected: snappy)\n");
    AggregatedHttpResponse v2 = post(one, RemoteWriteService.VERSION_HEADER, "2.0.0",
        "content-type", "application/x-protobuf;proto=io.prometheus.write.v2.Request");
    assertThat(v2.status().code()).isEqualTo(415);
    assertThat(v2.contentUtf8()).contains("is not supported (expected: remote write 1.0");
    assertThat(client.get("/api/v1/write").aggregate().join().status().code()).isEqualTo(405);
    assertThat(samples("x")).isEmpty();
  }
}
