package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.Status;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.storage.Ids;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input the foundation names gets a clear status and message, and stores nothing. */
class BadInputTest {
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
  private static final byte[] GARBAGE = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02};

  @TempDir
  static Path dataDir;
  static SextantServer server;
  static WebClient otlpHttp;
  static TraceServiceGrpc.TraceServiceBlockingStub grpc;

  @BeforeAll
  static void start() {
    server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).maxRequestBytes(64 * 1024).build();
    server.start();
    otlpHttp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
    grpc = GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
        TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void httpMalformedProtobuf_is400WithMessage() throws Exception {
    AggregatedHttpResponse r = otlpHttp.execute(RequestHeaders.of(HttpMethod.POST, "/v1/traces",
        "content-type", PROTOBUF.toString()), HttpData.wrap(GARBAGE)).aggregate().join();
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(Status.parseFrom(r.content().array()).getMessage())
        .contains("malformed traces request (protobuf)");
  }

  @Test
  void httpWrongContentType_is415() {
    AggregatedHttpResponse r = otlpHttp.execute(RequestHeaders.of(HttpMethod.POST, "/v1/traces",
        "content-type", "text/plain"), "hello").aggregate().join();
    assertThat(r.status().code()).isEqualTo(415);
    assertThat(r.contentUtf8()).contains("Content-Type: text/plain")
        .contains("expected: application/x-protobuf or application/json");
  }

  @Test
  void httpGet_is405() {
    AggregatedHttpResponse r = otlpHttp.get("/v1/traces").aggregate().join();
    assertThat(r.status().code()).isEqualTo(405);
  }

  @Test
  void httpTooLarge_is413() {
    byte[] big = OtlpRequests.trace(OtlpRequests.randomId(16), 2000, "big").toByteArray();
    assertThat(big.length).isGreaterThan(64 * 1024);
    AggregatedHttpResponse r = otlpHttp.execute(RequestHeaders.of(HttpMethod.POST, "/v1/traces",
        "content-type", PROTOBUF.toString()), HttpData.wrap(big)).aggregate().join();
    assertThat(r.status().code()).isEqualTo(413);
  }

  @Test
  void httpPartialSuccess_reportsRejectedSpansAndStoresTheRest() throws Exception {
    byte[] traceId = OtlpRequests.randomId(16);
    ExportTraceServiceRequest req = OtlpRequests.trace(traceId, 3, "svc");
    req = req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder().setScopeSpans(0,
        req.getResourceSpans(0).getScopeSpans(0).toBuilder().addSpans(Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(new byte[8]))
            .setName("bad")))).build();
    AggregatedHttpResponse r = otlpHttp.execute(RequestHeaders.of(HttpMethod.POST, "/v1/traces",
        "content-type", PROTOBUF.toString()), HttpData.wrap(req.toByteArray())).aggregate().join();
    assertThat(r.status().code()).isEqualTo(200);
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.content().array());
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage()).contains("span_id must be 8 bytes");
    String hex = Ids.toHex(traceId);
    assertThat(TestClient.get(server.httpPort(), "/api/traces/" + hex).json().get("spanCount")
        .asInt()).isEqualTo(3);
  }

  @Test
  void grpcMalformedProtobuf_isInvalidArgument() {
    // A gRPC frame: uncompressed flag, 4-byte length, then bytes that are not a protobuf.
    byte[] frame = new byte[5 + GARBAGE.length];
    frame[4] = (byte) GARBAGE.length;
    System.arraycopy(GARBAGE, 0, frame, 5, GARBAGE.length);
    AggregatedHttpResponse r = WebClient.of("http://127.0.0.1:" + server.grpcPort())
        .execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST,
                "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .contentType(MediaType.parse("application/grpc+proto")).add("te", "trailers").build(),
            HttpData.wrap(frame))).aggregate().join();
    String status = r.trailers().get("grpc-status", r.headers().get("grpc-status"));
    assertThat(status).isEqualTo(String.valueOf(Code.INVALID_ARGUMENT.value()));
  }

  @Test
  void grpcPartialSuccess_reportsRejectedSpans() {
    ExportTraceServiceRequest req = OtlpRequests.trace(OtlpRequests.randomId(16), 2, "svc");
    req = req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder().setScopeSpans(0,
        req.getResourceSpans(0).getScopeSpans(0).toBuilder().addSpans(Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[3])).setSpanId(ByteString.copyFrom(
                OtlpRequests.randomId(8))).setName("bad")))).build();
    ExportTraceServiceResponse resp = grpc.export(req);
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage()).contains("trace_id must be 16 bytes");
  }

  /** A request whose third span's name is invalid UTF-8; the other spans are valid. */
  private static byte[] requestWithInvalidUtf8Span(byte[] traceId) {
    ExportTraceServiceRequest req = OtlpRequests.trace(traceId, 2, "svc");
    req = req.toBuilder().setResourceSpans(0, req.getResourceSpans(0).toBuilder().setScopeSpans(0,
        req.getResourceSpans(0).getScopeSpans(0).toBuilder().addSpans(Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(OtlpRequests.randomId(8)))
            .setName("@@BAD@@").setStartTimeUnixNano(1).setEndTimeUnixNano(2)))).build();
    byte[] bytes = req.toByteArray();
    byte[] marker = "@@BAD@@".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + marker.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + marker.length, marker, 0, marker.length)) {
        bytes[i] = (byte) 0xC3; // a lead byte followed by ASCII: invalid UTF-8
        bytes[i + 1] = (byte) 0x28;
        return bytes;
      }
    }
    throw new AssertionError("marker not found");
  }

  @Test
  void httpInvalidUtf8_rejectsOnlyThatSpan() throws Exception {
    byte[] traceId = OtlpRequests.randomId(16);
    AggregatedHttpResponse r = otlpHttp.execute(RequestHeaders.of(HttpMethod.POST, "/v1/traces",
        "content-type", PROTOBUF.toString()), HttpData.wrap(requestWithInvalidUtf8Span(traceId)))
        .aggregate().join();
    assertThat(r.status().code()).isEqualTo(200);
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.content().array());
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(resp.getPartialSuccess().getErrorMessage()).containsIgnoringCase("UTF-8");
    assertThat(TestClient.get(server.httpPort(), "/api/traces/"
        + Ids.toHex(traceId)).json().get("spanCount").asInt()).isEqualTo(2);
  }

  @Test
  void grpcInvalidUtf8_rejectsOnlyThatSpan() throws Exception {
    byte[] traceId = OtlpRequests.randomId(16);
    byte[] body = requestWithInvalidUtf8Span(traceId);
    byte[] frame = new byte[5 + body.length];
    ByteBuffer.wrap(frame, 1, 4).putInt(body.length);
    System.arraycopy(body, 0, frame, 5, body.length);
    AggregatedHttpResponse r = WebClient.of("http://127.0.0.1:" + server.grpcPort())
        .execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST,
                "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .contentType(MediaType.parse("application/grpc+proto")).add("te", "trailers").build(),
            HttpData.wrap(frame))).aggregate().join();
    assertThat(r.trailers().get("grpc-status", String.valueOf(r.headers().get("grpc-status"))))
        .as(r.headers() + " " + r.trailers() + " " + r.contentUtf8()).isEqualTo("0");
    byte[] content = r.content().array();
    ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(
        Arrays.copyOfRange(content, 5, content.length));
    assertThat(resp.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(TestClient.get(server.httpPort(), "/api/traces/"
        + Ids.toHex(traceId)).json().get("spanCount").asInt()).isEqualTo(2);
  }

  @Test
  void grpcTooLarge_isResourceExhausted() {
    ExportTraceServiceRequest big = OtlpRequests.trace(OtlpRequests.randomId(16), 2000, "big");
    assertThatThrownBy(() -> grpc.export(big)).isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void traceIdNotHex_is400() {
    TestClient.Response r = TestClient.get(server.httpPort(), "/api/traces/not-a-trace-id");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).contains("expected: 32 hex characters");
    // All zero is no trace ID (OTLP): a bad request, as on every other API, not a miss.
    String zero = "0".repeat(32);
    r = TestClient.get(server.httpPort(), "/api/traces/" + zero);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText())
        .isEqualTo("traceId: " + zero + " (expected: 32 hex characters, not all zero)");
  }

  @Test
  void unknownTrace_is404Json() {
    TestClient.Response r = TestClient.get(server.httpPort(),
        "/api/traces/" + "ab".repeat(16));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("error").asText()).contains("not found");
  }

  @Test
  void queryRoutesAreNotServedOnOtlpPort() {
    assertThat(otlpHttp.get("/api/traces/" + "ab".repeat(16)).aggregate().join().status().code())
        .isEqualTo(404);
  }

  @Test
  void health_isHealthy() {
    TestClient.Response r = TestClient.get(server.httpPort(), "/health");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("healthy");
    assertThat(r.json().get("checks").get("storage").get("status").asText()).isEqualTo("up");
    assertThat(r.json().get("checks").get("disk_space").get("status").asText()).isEqualTo("up");
    assertThat(r.json().get("checks").get("memory").get("status").asText()).isEqualTo("up");
  }
}
