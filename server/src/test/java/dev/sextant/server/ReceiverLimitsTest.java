package dev.sextant.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.stream.StreamMessage;
import dev.sextant.storage.Ids;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's receivers carry their own request limit ({@code maxRequestBytes}, 16 MiB by
 * default) in the services the server mounts: through the server as it mounts them, a request
 * just under the limit and over Armeria's default of 10 MiB is stored, on gRPC, OTLP/HTTP
 * protobuf and JSON, and one over it is refused (gRPC: RESOURCE_EXHAUSTED naming the limit;
 * HTTP: 413 whose message names the limit and {@code limits.maxRequestBytes}, whether the
 * length was declared or the body crossed the limit while arriving).
 */
@Timeout(120)
class ReceiverLimitsTest {
  private static final int LIMIT = 16 << 20;
  private static final int ARMERIA_DEFAULT = 10 << 20;

  @TempDir
  static Path dataDir;
  static SextantServer server;
  static WebClient otlpHttp;
  static TraceServiceGrpc.TraceServiceBlockingStub grpc;

  @BeforeAll
  static void start() {
    server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).build(); // the default maxRequestBytes
    server.start();
    otlpHttp = WebClient.builder("http://127.0.0.1:" + server.otlpHttpPort())
        .maxResponseLength(0).build();
    grpc = GrpcClients.builder("http://127.0.0.1:" + server.grpcPort())
        .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void grpc_messageOfExactlyTheLimit_isStored() {
    byte[] traceId = OtlpRequests.randomId(16);
    ExportTraceServiceRequest req = ofSize(traceId, LIMIT);
    assertThat(req.getSerializedSize()).isEqualTo(LIMIT);

    grpc.export(req);

    assertStored(traceId, req);
  }

  @Test
  void grpc_messageOverTheLimit_isResourceExhaustedNamingTheLimit() {
    ExportTraceServiceRequest req = ofSize(OtlpRequests.randomId(16), LIMIT + 1);

    assertThatThrownBy(() -> grpc.export(req)).isInstanceOfSatisfying(
        StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains(String.valueOf(LIMIT));
        });
  }

  @Test
  void httpProtobuf_underTheLimitOverArmeriasDefault_isStored() throws Exception {
    byte[] traceId = OtlpRequests.randomId(16);
    ExportTraceServiceRequest req = ofSize(traceId, LIMIT - 1024);
    assertThat(req.getSerializedSize()).isGreaterThan(ARMERIA_DEFAULT);

    AggregatedHttpResponse r = post("/v1/traces", "application/x-protobuf", req.toByteArray());

    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    ExportTraceServiceResponse.parseFrom(r.content().array()); // an OTLP answer
    assertStored(traceId, req);
  }

  @Test
  void httpJson_underTheLimitOverArmeriasDefault_isStored() {
    byte[] traceId = OtlpRequests.randomId(16);
    byte[] json = json(traceId, LIMIT - 1024);
    assertThat(json.length).isGreaterThan(ARMERIA_DEFAULT);

    AggregatedHttpResponse r = post("/v1/traces", "application/json", json);

    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    assertThat(TestClient.get(server.httpPort(), "/api/traces/" + Ids.toHex(traceId)).status())
        .isEqualTo(200);
  }

  @Test
  void httpProtobuf_overTheLimit_is413WithAStatusNamingTheLimit() throws Exception {
    AggregatedHttpResponse r = post("/v1/traces", "application/x-protobuf",
        new byte[LIMIT + 1]);

    assertThat(r.status().code()).isEqualTo(413);
    com.google.rpc.Status status = com.google.rpc.Status.parseFrom(r.content().array());
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
    assertNamesTheLimit(status.getMessage());
  }

  @Test
  void httpJson_overTheLimit_is413WithAStatusNamingTheLimit() {
    AggregatedHttpResponse r = post("/v1/traces", "application/json", new byte[LIMIT + 1]);

    assertThat(r.status().code()).isEqualTo(413);
    assertThat(r.contentType()).isNotNull();
    assertThat(r.contentType().subtype()).isEqualTo("json");
    assertNamesTheLimit(r.contentUtf8());
  }

  @Test
  void httpProtobuf_streamedBodyCrossingTheLimit_is413NamingTheLimit() throws Exception {
    // No Content-Length: the limit is crossed while the body arrives.
    HttpData half = HttpData.wrap(new byte[LIMIT / 2 + 1]);
    HttpRequest req = HttpRequest.of(RequestHeaders.of(HttpMethod.POST, "/v1/traces",
        "content-type", "application/x-protobuf"), StreamMessage.of(half, half));

    AggregatedHttpResponse r = otlpHttp.execute(req).aggregate().join();

    assertThat(r.status().code()).isEqualTo(413);
    assertNamesTheLimit(com.google.rpc.Status.parseFrom(r.content().array()).getMessage());
  }

  @Test
  void zipkin_overTheLimit_is413NamingTheLimit() {
    AggregatedHttpResponse r = post("/api/v2/spans", "application/json", new byte[LIMIT + 1]);

    assertThat(r.status().code()).isEqualTo(413);
    assertNamesTheLimit(r.contentUtf8());
  }

  private static void assertNamesTheLimit(String message) {
    assertThat(message).contains("limits.maxRequestBytes").contains(String.valueOf(LIMIT));
  }

  private static AggregatedHttpResponse post(String path, String contentType, byte[] body) {
    return otlpHttp.execute(RequestHeaders.of(HttpMethod.POST, path, "content-type",
        contentType), HttpData.wrap(body)).aggregate().join();
  }

  private static void assertStored(byte[] traceId, ExportTraceServiceRequest req) {
    int spans = req.getResourceSpans(0).getScopeSpans(0).getSpansCount();
    assertThat(TestClient.get(server.httpPort(), "/api/traces/" + Ids.toHex(traceId)).json()
        .get("spanCount").asInt()).isEqualTo(spans);
  }

  /**
   * A request of exactly {@code bytes} bytes: spans of about 1 MiB each, mostly one attribute
   * value (stored cut to the attribute limit), the last span's value sized to fit.
   */
  static ExportTraceServiceRequest ofSize(byte[] traceId, int bytes) {
    int spans = bytes >> 20;
    int pad = (bytes / spans) - 100;
    for (int tries = 0; tries < 8; tries++) {
      ExportTraceServiceRequest req = request(traceId, spans, pad);
      int diff = bytes - req.getSerializedSize();
      if (diff == 0) {
        return req;
      }
      pad += diff; // each try lands closer; varint lengths only move it by a byte or two
    }
    throw new AssertionError("no request of " + bytes + " bytes");
  }

  private static ExportTraceServiceRequest request(byte[] traceId, int spans, int lastPad) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      int pad = i < spans - 1 ? 1 << 20 : lastPad;
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId))
          .setSpanId(ByteString.copyFrom(OtlpRequests.spanId(i))).setName("big-" + i)
          .setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000)
          .addAttributes(KeyValue.newBuilder().setKey("pad")
              .setValue(AnyValue.newBuilder().setStringValue("x".repeat(Math.max(0, pad))))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("big"))))
        .addScopeSpans(scope)).build();
  }

  /** OTLP/JSON of about {@code bytes} bytes (at most that), spans as {@link #ofSize}'s. */
  private static byte[] json(byte[] traceId, int bytes) {
    long now = System.currentTimeMillis() * 1_000_000L;
    int spans = bytes >> 20;
    StringBuilder b = new StringBuilder(bytes).append("{\"resourceSpans\":[{\"resource\":"
        + "{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"big\"}}]},"
        + "\"scopeSpans\":[{\"spans\":[");
    for (int i = 0; i < spans; i++) {
      b.append(i == 0 ? "" : ",").append("{\"traceId\":\"").append(Ids.toHex(traceId))
          .append("\",\"spanId\":\"").append(Ids.toHex(OtlpRequests.spanId(i)))
          .append("\",\"name\":\"big-").append(i).append("\",\"startTimeUnixNano\":\"")
          .append(now).append("\",\"endTimeUnixNano\":\"").append(now + 1000)
          .append("\",\"attributes\":[{\"key\":\"pad\",\"value\":{\"stringValue\":\"")
          .append("x".repeat((bytes / spans) - 400)).append("\"}}]}");
    }
    return b.append("]}]}]}").toString().getBytes(UTF_8);
  }
}
