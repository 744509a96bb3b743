package dev.sextant.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.collector.internal.OtlpJson;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Poison records (40,000-character span name, service, attribute key, correlation ID) sent over
 * each OTLP transport of a real collector into a real store, which is then closed and reopened:
 * it opens, the good items of the request are stored and searchable, the poison ones are stored
 * cut to the limits, and the answer's partial success names the field and the limit.
 */
class PoisonIngestTest {
  private static final String HUGE = "x".repeat(40_000);
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"protobuf", "json", "grpc"})
  void poisonSpansAndLogs_areCutToTheLimitsAndTheStoreReopens(String transport)
      throws Exception {
    byte[] trace = new byte[16];
    trace[0] = 7;
    trace[15] = (byte) transport.length();
    String traceHex = Ids.toHex(trace);
    ExportTraceServiceRequest spans = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans("good", span(trace, 1, "root", Map.of("k", "v")),
            span(trace, 2, HUGE, Map.of()), span(trace, 3, "child", Map.of(HUGE, "v"))))
        .addResourceSpans(resourceSpans(HUGE, span(trace, 4, "child", Map.of()))).build();
    ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(resourceLogs("good", log(trace, "good line", "c-1"),
            log(trace, "long correlation", HUGE)))
        .addResourceLogs(resourceLogs(HUGE, log(trace, "long service", "c-2"))).build();

    try (Stack s = new Stack(dir)) {
      ExportTraceServiceResponse tr = ExportTraceServiceResponse.parseFrom(
          s.send(transport, "traces", spans.toByteArray()));
      assertThat(tr.getPartialSuccess().getRejectedSpans()).isZero();
      assertThat(tr.getPartialSuccess().getErrorMessage())
          .isEqualTo("span name: 40000 characters (expected: <= 1024), truncated");
      ExportLogsServiceResponse lr = ExportLogsServiceResponse.parseFrom(
          s.send(transport, "logs", logs.toByteArray()));
      assertThat(lr.getPartialSuccess().getRejectedLogRecords()).isZero();
      assertThat(lr.getPartialSuccess().getErrorMessage())
          .isEqualTo("log record correlation_id: 40000 characters (expected: <= 256), "
              + "truncated");
    }

    try (Storage store = EmbeddedStorage.open(dir)) {
      List<Span> stored = store.traceReader().getTrace(traceHex);
      assertThat(stored).hasSize(4);
      assertThat(stored).extracting(Span::name)
          .containsExactlyInAnyOrder("root", "x".repeat(1024), "child", "child");
      assertThat(stored).extracting(Span::serviceName)
          .containsOnly("good", "x".repeat(1024));
      Span keyed = stored.stream().filter(sp -> sp.spanId().endsWith("03")).findFirst()
          .orElseThrow();
      assertThat(keyed.attributes()).isEmpty();
      assertThat(keyed.droppedAttributesCount()).isEqualTo(1);
      assertThat(store.spanSearch().search(TraceQuery.builder().serviceName("good")
          .attribute("k", "v").build())).extracting(TraceSummary::traceId)
          .containsExactly(traceHex);
      assertThat(store.logReader().search(LogQuery.builder().traceId(traceHex).build())
          .records()).extracting(LogRecord::body)
          .containsExactlyInAnyOrder("good line", "long correlation", "long service");
      assertThat(store.logReader().search(LogQuery.builder().correlationId("x".repeat(256))
          .build()).records()).extracting(LogRecord::body).containsExactly("long correlation");
      assertThat(store.unindexedRecords()).isZero();
    }
  }

  private static io.opentelemetry.proto.trace.v1.Span span(byte[] trace, int id, String name,
      Map<String, String> attributes) {
    io.opentelemetry.proto.trace.v1.Span.Builder b = io.opentelemetry.proto.trace.v1.Span
        .newBuilder().setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id}))
        .setName(name).setStartTimeUnixNano(NOW).setEndTimeUnixNano(NOW + 1000);
    if (id != 1) {
      b.setParentSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, 1}));
    }
    attributes.forEach((k, v) -> b.addAttributes(kv(k, v)));
    return b.build();
  }

  private static io.opentelemetry.proto.logs.v1.LogRecord log(byte[] trace, String body,
      String correlationId) {
    return io.opentelemetry.proto.logs.v1.LogRecord.newBuilder().setTimeUnixNano(NOW)
        .setTraceId(ByteString.copyFrom(trace))
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .addAttributes(kv("correlation_id", correlationId)).build();
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static ResourceSpans resourceSpans(String service,
      io.opentelemetry.proto.trace.v1.Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
        .addScopeSpans(ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("test"))
            .addAllSpans(Arrays.asList(spans))).build();
  }

  private static ResourceLogs resourceLogs(String service,
      io.opentelemetry.proto.logs.v1.LogRecord... records) {
    return ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(Arrays.asList(records))).build();
  }

  /** A real store, collector and Armeria server; closed in the order the server closes them. */
  private static final class Stack implements AutoCloseable {
    final Storage storage;
    final Collector collector;
    final Server server;
    final WebClient http;
    final WebClient h2c;

    Stack(Path dir) {
      storage = EmbeddedStorage.open(dir);
      collector = Collector.builder().spanConsumer(storage.spanConsumer())
          .logConsumer(storage.logConsumer()).metricWriter(storage.metricWriter()).build();
      ServerBuilder sb = Server.builder().http(0);
      sb.service(collector.httpService());
      sb.service(collector.grpcService());
      server = sb.build();
      server.start().join();
      int port = server.activeLocalPort();
      http = WebClient.builder("http://127.0.0.1:" + port).responseTimeoutMillis(60_000).build();
      h2c = WebClient.builder("h2c://127.0.0.1:" + port).responseTimeoutMillis(60_000).build();
    }

    /** Sends an export request; returns the protobuf response message. */
    byte[] send(String transport, String signal, byte[] message) throws Exception {
      switch (transport) {
        case "protobuf" -> {
          AggregatedHttpResponse r = post(signal, "application/x-protobuf", message);
          return r.content().array();
        }
        case "json" -> {
          var parsed = signal.equals("traces") ? ExportTraceServiceRequest.parseFrom(message)
              : ExportLogsServiceRequest.parseFrom(message);
          AggregatedHttpResponse r = post(signal, "application/json",
              OtlpJson.print(parsed).getBytes(StandardCharsets.UTF_8));
          var b = signal.equals("traces") ? ExportTraceServiceResponse.newBuilder()
              : ExportLogsServiceResponse.newBuilder();
          OtlpJson.merge(r.content().array(), b);
          return b.build().toByteArray();
        }
        default -> {
          String service = signal.equals("traces")
              ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
              : "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
          byte[] framed = ByteBuffer.allocate(5 + message.length).put((byte) 0)
              .putInt(message.length).put(message).array();
          AggregatedHttpResponse r = h2c.execute(RequestHeaders.builder(HttpMethod.POST, service)
              .contentType(MediaType.parse("application/grpc+proto")).add("te", "trailers")
              .build(), HttpData.wrap(framed)).aggregate().join();
          assertThat(r.trailers().get("grpc-status")).as(r.trailers().toString()).isEqualTo("0");
          byte[] body = r.content().array();
          return Arrays.copyOfRange(body, 5, body.length);
        }
      }
    }

    private AggregatedHttpResponse post(String signal, String type, byte[] body) {
      AggregatedHttpResponse r = http.execute(RequestHeaders.builder(HttpMethod.POST,
          "/v1/" + signal).contentType(MediaType.parse(type)).build(), HttpData.wrap(body))
          .aggregate().join();
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
      return r;
    }

    @Override
    public void close() {
      server.stop().join();
      collector.close();
      storage.close();
    }
  }
}
