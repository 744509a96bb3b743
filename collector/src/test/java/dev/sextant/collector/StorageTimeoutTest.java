package dev.sextant.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.Storage;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage slower than the write timeout: real embedded storage behind a gate that holds every
 * write until the test opens it, so only the collector's deadline can answer. Every transport
 * must answer a retryable refusal with a retry hint — never the server's bare request timeout,
 * which is set far shorter here (500 ms) than the write timeout to prove it is not in the way.
 */
class StorageTimeoutTest {
  private static final Metadata.Key<RetryInfo> RETRY_INFO =
      ProtoUtils.keyForProto(RetryInfo.getDefaultInstance());
  private static final byte[] TRACE_ID =
      HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c");

  @TempDir
  Path dir;

  private final CompletableFuture<Void> gate = new CompletableFuture<>();
  private Storage storage;
  private Collector collector;
  private Server server;
  private WebClient http;

  @BeforeEach
  void start() {
    storage = EmbeddedStorage.open(dir);
    SpanConsumer spans = batch -> gate.thenComposeAsync(v -> storage.spanConsumer().accept(batch));
    LogConsumer logs = batch -> gate.thenComposeAsync(v -> storage.logConsumer().accept(batch));
    collector = Collector.builder().spanConsumer(spans).logConsumer(logs)
        .writeTimeout(Duration.ofSeconds(2)).build();
    ServerBuilder sb = Server.builder().http(0).requestTimeoutMillis(500);
    sb.service(collector.httpService());
    sb.service(collector.grpcService());
    server = sb.build();
    server.start().join();
    http = WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
        .responseTimeoutMillis(60_000).build();
  }

  @AfterEach
  void stop() {
    gate.complete(null);
    server.stop().join();
    collector.close();
    storage.close();
  }

  @Test
  void export_storageSlowerThanWriteTimeout_isRefusedWithRetryHintOnEveryTransport()
      throws Exception {
    AggregatedHttpResponse protobuf = post("/v1/traces", "application/x-protobuf",
        traces(1, 2).toByteArray());
    assertThat(protobuf.status().code()).isEqualTo(503);
    assertThat(protobuf.headers().get("retry-after")).isEqualTo("2");
    com.google.rpc.Status body = com.google.rpc.Status.parseFrom(protobuf.content().array());
    assertThat(body.getCode()).isEqualTo(Status.Code.UNAVAILABLE.value());
    assertThat(body.getMessage()).contains("within").contains("may still be stored");

    AggregatedHttpResponse json = post("/v1/logs", "application/json",
        ("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":"
            + "\"1700000000000000000\",\"body\":{\"stringValue\":\"slow\"}}]}]}]}")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(json.status().code()).isEqualTo(503);
    assertThat(json.headers().get("retry-after")).isEqualTo("2");
    assertThat(json.contentUtf8()).contains("may still be stored");

    var grpc = GrpcClients.builder("http://127.0.0.1:" + server.activeLocalPort())
        .responseTimeoutMillis(60_000).build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> grpc.export(traces(3, 4)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    RetryInfo retry = Status.trailersFromThrowable(e).get(RETRY_INFO);
    assertThat(retry).isNotNull();
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(2);
    // Without a client deadline the server's 500 ms request timeout bounds the call: answered by
    // the collector within it, not ended by the server with a bare DEADLINE_EXCEEDED.
    var noDeadline = GrpcClients.builder("http://127.0.0.1:" + server.activeLocalPort())
        .responseTimeoutMillis(0).build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    e = catchThrowableOfType(StatusRuntimeException.class, () -> noDeadline.export(traces(6)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Status.trailersFromThrowable(e).get(RETRY_INFO)).isNotNull();

    // The refused writes go on and finish once storage is fast again: nothing is lost...
    gate.complete(null);
    await().atMost(Duration.ofSeconds(60)).until(() -> collector.queueBytes() == 0);
    assertThat(spanIds()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 6L);
    // ...and retrying a refused request does not duplicate its spans (keyed by trace and span ID).
    assertThat(post("/v1/traces", "application/x-protobuf", traces(1, 2).toByteArray())
        .status().code()).isEqualTo(200);
    assertThat(spanIds()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 6L);
  }

  @Test
  void export_storageInTime_isAcceptedThoughLongerThanTheServerRequestTimeout() {
    CompletableFuture<AggregatedHttpResponse> answer = http.execute(RequestHeaders.builder(
        HttpMethod.POST, "/v1/traces").contentType(MediaType.parse("application/x-protobuf"))
        .build(), HttpData.wrap(traces(5).toByteArray())).aggregate();
    // Held past the server's 500 ms request timeout: the request waits for storage instead of
    // being cut off by the server with a bare 503.
    await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(60)).until(() -> true);
    gate.complete(null);
    AggregatedHttpResponse r = answer.join();
    // Usually 200; on a loaded machine the 2 s write timeout may pass before the gate opens, and
    // then the answer is the collector's refusal — with its retry hint, never a bare 503.
    assertThat(r.status().code()).isIn(200, 503);
    if (r.status().code() == 503) {
      assertThat(r.headers().get("retry-after")).isEqualTo("2");
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> spanIds().contains(5L));
  }

  private AggregatedHttpResponse post(String path, String type, byte[] body) {
    return http.execute(RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(MediaType.parse(type)).build(), HttpData.wrap(body)).aggregate().join();
  }

  private List<Long> spanIds() {
    return storage.traceReader().getTrace(HexFormat.of().formatHex(TRACE_ID)).stream()
        .map(s -> Long.parseUnsignedLong(s.spanId(), 16)).toList();
  }

  private static ExportTraceServiceRequest traces(long... spanIds) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (long id : spanIds) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(TRACE_ID))
          .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(String.format("%016x", id))))
          .setName("slow-" + id).setStartTimeUnixNano(1_700_000_000_000_000_000L)
          .setEndTimeUnixNano(1_700_000_000_100_000_000L));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
  }
}
