package dev.sextant.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.storage.Ids;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP encodings, compression, bombs and tenant throttling against a real server. */
class CollectorEndToEndTest {
  private static final int MAX_REQUEST = 1 << 20;

  @TempDir
  static Path dataDir;
  static SextantServer server;
  static WebClient http;

  @BeforeAll
  static void start() {
    server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).maxRequestBytes(MAX_REQUEST)
        .rateLimits(RateLimits.create()
            .tenantLimit("tiny-http", Signal.TRACES, new RateLimits.Limit(1, 10))
            .tenantLimit("tiny-grpc", Signal.TRACES, new RateLimits.Limit(1, 10)))
        .build();
    server.start();
    http = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static AggregatedHttpResponse post(String type, byte[] body, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
        .contentType(MediaType.parse(type));
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return http.execute(h.build(), HttpData.wrap(body)).aggregate().join();
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void otlpJsonExample_ingestsAndReadsBackUnchangedInMeaning() throws Exception {
    byte[] json = getClass().getResourceAsStream("/otlp/trace.json").readAllBytes();
    AggregatedHttpResponse r = post("application/json", json);
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    assertThat(r.contentType().subtype()).isEqualTo("json");
    JsonNode t = TestClient.get(server.httpPort(),
        "/api/traces/5b8efff798038103d269b633813fc60c").json();
    assertThat(t.get("spanCount").asInt()).isEqualTo(1);
    JsonNode span = t.get("roots").get(0);
    assertThat(span.get("orphan").asBoolean()).isTrue(); // its parent was never sent
    assertThat(span.get("spanId").asText()).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.get("parentSpanId").asText()).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.get("name").asText()).isEqualTo("I'm a server span");
    assertThat(span.get("kind").asText()).isEqualTo("SERVER");
    assertThat(span.get("service").asText()).isEqualTo("my.service");
    assertThat(span.get("startTimeUnixNano").asText()).isEqualTo("1544712660000000000");
    assertThat(span.get("durationNanos").asLong()).isEqualTo(1_000_000_000L);
    assertThat(span.get("attributes").get("my.span.attr").asText()).isEqualTo("some value");
    assertThat(span.get("scope").get("name").asText()).isEqualTo("my.library");
    assertThat(span.get("scope").get("version").asText()).isEqualTo("1.0.0");
  }

  @Test
  void otlpJson_int64AsNumbersAndSnakeCaseKeysAccepted() {
    String json = "{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{"
        + "\"trace_id\":\"00000000000000000000000000000abc\",\"span_id\":\"0000000000000def\","
        + "\"name\":\"n\",\"start_time_unix_nano\":1000,\"end_time_unix_nano\":2000,\"kind\":3}]}]}]}";
    assertThat(post("application/json", json.getBytes(UTF_8)).status().code()).isEqualTo(200);
    JsonNode span = TestClient.get(server.httpPort(),
        "/api/traces/00000000000000000000000000000abc").json().get("roots").get(0);
    assertThat(span.get("kind").asText()).isEqualTo("CLIENT");
    assertThat(span.get("durationNanos").asLong()).isEqualTo(1000);
  }

  @Test
  void otlpJson_malformedIs400WithJsonStatus() {
    AggregatedHttpResponse r = post("application/json", "{\"resourceSpans\": [".getBytes(UTF_8));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).contains("malformed JSON");
  }

  @Test
  void gzipProtobuf_isInflatedAndStored() throws Exception {
    byte[] traceId = OtlpRequests.randomId(16);
    byte[] body = gzip(OtlpRequests.trace(traceId, 4, "gz").toByteArray());
    AggregatedHttpResponse r = post("application/x-protobuf", body, "content-encoding", "gzip");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(TestClient.get(server.httpPort(), "/api/traces/" + Ids.toHex(traceId)).json()
        .get("spanCount").asInt()).isEqualTo(4);
  }

  @Test
  void gzipBomb_isRefusedWith413NotInflated() throws Exception {
    byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros, about 64 KiB compressed
    assertThat(bomb.length).isLessThan(MAX_REQUEST);
    AggregatedHttpResponse r = post("application/x-protobuf", bomb, "content-encoding", "gzip");
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(com.google.rpc.Status.parseFrom(r.content().array()).getMessage())
        .contains("decompressed size over " + MAX_REQUEST + " bytes");
  }

  @Test
  void unknownContentEncoding_is415() {
    AggregatedHttpResponse r = post("application/x-protobuf", new byte[0],
        "content-encoding", "br");
    assertThat(r.status().code()).isEqualTo(415);
    assertThat(r.contentUtf8()).contains("expected: gzip or identity");
  }

  @Test
  void grpcGzipFromSdkExporter_isStored() {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "gz")))
        .addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.grpcPort()).setCompression("gzip").build()))
        .build();
    var span = p.get("t").spanBuilder("compressed").startSpan();
    span.end();
    assertThat(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    p.shutdown().join(10, TimeUnit.SECONDS);
    JsonNode t = TestClient.get(server.httpPort(),
        "/api/traces/" + span.getSpanContext().getTraceId()).json();
    assertThat(t.get("roots").get(0).get("name").asText()).isEqualTo("compressed");
  }

  @Test
  void grpcGzipBomb_isResourceExhausted() {
    // Repetitive spans compress well below the HTTP limit but inflate past the message limit.
    ExportTraceServiceRequest big = OtlpRequests.trace(OtlpRequests.randomId(16), 3000, "bomb");
    assertThat(big.getSerializedSize()).isGreaterThan(MAX_REQUEST / 10);
    var stub = GrpcClients.builder("http://127.0.0.1:" + server.grpcPort())
        .build(TraceServiceGrpc.TraceServiceBlockingStub.class).withCompression("gzip");
    ExportTraceServiceRequest.Builder b = big.toBuilder();
    while (b.build().getSerializedSize() <= MAX_REQUEST) {
      b.addResourceSpans(big.getResourceSpans(0));
    }
    assertThatThrownBy(() -> stub.export(b.build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void tenantOverRateLimit_http429WithRetryAfter_otherTenantsUnaffected() {
    byte[] eight = OtlpRequests.trace(OtlpRequests.randomId(16), 8, "t").toByteArray();
    assertThat(post("application/x-protobuf", eight, "x-scope-orgid", "tiny-http").status().code())
        .isEqualTo(200);
    AggregatedHttpResponse r = post("application/x-protobuf", eight, "x-scope-orgid", "tiny-http");
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(Long.parseLong(r.headers().get("retry-after"))).isPositive();
    assertThat(post("application/x-protobuf", eight, "x-scope-orgid", "other").status().code())
        .isEqualTo(200);
    assertThat(post("application/x-protobuf", eight).status().code()).isEqualTo(200);
  }

  @Test
  void tenantOverRateLimit_grpcResourceExhaustedWithRetryInfo() {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), "tiny-grpc");
    var stub = GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
        TraceServiceGrpc.TraceServiceBlockingStub.class)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    ExportTraceServiceRequest eight = OtlpRequests.trace(OtlpRequests.randomId(16), 8, "t");
    StatusRuntimeException refused = null;
    for (int i = 0; i < 3 && refused == null; i++) {
      try {
        stub.export(eight);
      } catch (StatusRuntimeException e) {
        refused = e;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    RetryInfo info = refused.getTrailers()
        .get(ProtoUtils.keyForProto(RetryInfo.getDefaultInstance()));
    assertThat(info.getRetryDelay()).isNotEqualTo(Duration.getDefaultInstance());
  }
}
