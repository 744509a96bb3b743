package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.util.EventLoopGroups;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.netty.channel.EventLoopGroup;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several clients send bodies of about 14 MB (gzip-compressed protobuf over HTTP and gRPC, and
 * OTLP/JSON) in a loop, and another small exports, while a thread calls {@code GET /health} every
 * 50 ms: decoding runs on the collector's decoding threads, never on the event loops that
 * {@code /health} shares with them, so {@code /health} answers every time and far faster than one
 * body takes to decode. The bound is relative (the decode time of one body, measured in the same
 * run on the same box, and /health's latency less the stop-the-world GC pauses during it, which
 * stall every thread alike), so it holds on a loaded machine, where both grow.
 *
 * <p>Each body is mostly spans with an all-zero trace ID (parsed and validated, then rejected
 * through partial success, so the test costs decoding, not storage) plus one valid span with a
 * fresh trace ID; every acknowledged request's trace must then be readable.
 */
class IngestOffEventLoopTest {
  private static final Duration LOAD = Duration.ofSeconds(8);
  /** Decoding frames that must never be seen on an event loop. */
  private static final Set<String> DECODE_CLASSES = Set.of(
      "dev.sextant.collector.internal.OtlpJson",
      "dev.sextant.collector.internal.LenientOtlpParser",
      "dev.sextant.collector.internal.BoundedGunzip",
      "dev.sextant.collector.internal.TraceConverter",
      "dev.sextant.collector.internal.TraceWireDecoder",
      "dev.sextant.collector.internal.TraceWireDecoder$Run",
      "com.google.protobuf.util.JsonFormat$ParserImpl",
      "java.util.zip.Inflater");

  @TempDir
  Path dataDir;

  @Test
  void bigBodies_areDecodedOffTheEventLoop_andHealthStaysFast() throws Exception {
    byte[] bulkProto = bulkProtobuf(100_000);
    byte[] bulkGzip = gzip(bulkProto);
    byte[] bulkJson = bulkJsonItems(45_000);
    assertThat(bulkProto.length).isBetween(10 << 20, 15 << 20);
    assertThat(bulkJson.length).isBetween(10 << 20, 15 << 20);
    ExportTraceServiceRequest bulkRequest = ExportTraceServiceRequest.parseFrom(bulkProto);

    try (SextantServer server = SextantServer.builder().dataDir(dataDir)
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0).build()) {
      server.start();
      Sender sender = new Sender(server.otlpHttpPort(), bulkGzip, bulkJson);
      // The gRPC client has its own event loop: sharing the server's would skew the test.
      EventLoopGroup clientLoop = EventLoopGroups.newEventLoopGroup(1, "test-grpc-client");
      ClientFactory factory = ClientFactory.builder().workerGroup(clientLoop, true).build();
      var stub = GrpcClients.builder("http://127.0.0.1:" + server.grpcPort()).factory(factory)
          .maxRequestMessageLength(-1).responseTimeout(Duration.ofSeconds(60))
          .build(TraceServiceGrpc.TraceServiceBlockingStub.class).withCompression("gzip");
      // Warm up, then measure one body of each kind alone: the baseline.
      sender.sendGzip(HexFormat.of().formatHex(OtlpRequests.randomId(16)));
      sender.sendJson(HexFormat.of().formatHex(OtlpRequests.randomId(16)));
      long gzipAlone = sender.timed(true);
      long jsonAlone = sender.timed(false);
      long baselineNanos = Math.min(gzipAlone, jsonAlone);

      List<String> acknowledged = new CopyOnWriteArrayList<>();
      Map<String, Integer> outcomes = new ConcurrentHashMap<>();
      List<Long> healthNanos = new CopyOnWriteArrayList<>();
      List<Long> healthNanosLessGc = new CopyOnWriteArrayList<>();
      List<String> healthFailures = new CopyOnWriteArrayList<>();
      List<String> onEventLoop = new CopyOnWriteArrayList<>();
      Set<String> decodingThreads = ConcurrentHashMap.newKeySet();
      AtomicBoolean loadOver = new AtomicBoolean();

      // /health and the stack sampler run from before the first client starts to after the
      // last one ends.
      Thread health = start("test-health", () -> {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        while (!loadOver.get()) {
          long gcBefore = gcMillis();
          long start = System.nanoTime();
          try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpPort() + "/health"))
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            healthNanos.add(took);
            // A stop-the-world GC pause stalls every thread alike, event loop or not.
            healthNanosLessGc.add(Math.max(0, took
                - TimeUnit.MILLISECONDS.toNanos(gcMillis() - gcBefore)));
            if (r.statusCode() != 200 || !r.body().contains("\"status\"")) {
              healthFailures.add(r.statusCode() + " " + r.body());
            }
          } catch (Exception e) {
            healthFailures.add(e.toString());
          }
          sleep(50);
        }
      });
      Thread sampler = start("test-stack-sampler", () -> {
        while (!loadOver.get()) {
          sample(onEventLoop, decodingThreads);
          sleep(500); // each sample is a safepoint: it stalls every thread, /health's too
        }
      });

      long end = System.nanoTime() + LOAD.toNanos();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        boolean json = i % 2 == 0;
        Sender own = new Sender(server.otlpHttpPort(), bulkGzip, bulkJson); // own connection
        clients.add(start("test-http-client-" + i, () -> {
          do {
            String traceId = HexFormat.of().formatHex(OtlpRequests.randomId(16));
            HttpResponse<byte[]> r = json ? own.sendJson(traceId) : own.sendGzip(traceId);
            String kind = (json ? "json " : "gzip ") + r.statusCode();
            if (r.statusCode() == 200) {
              acknowledged.add(traceId);
            } else if ((r.statusCode() == 503 || r.statusCode() == 429)
                && r.headers().firstValue("retry-after").isPresent()) {
              kind += "+retry-after";
            }
            outcomes.merge(kind, 1, Integer::sum);
          } while (System.nanoTime() < end);
        }));
      }
      // Small exports, as most clients send, go on meanwhile (their own decoding lane).
      clients.add(start("test-small-client", () -> {
        Sender small = new Sender(server.otlpHttpPort(), bulkGzip, bulkJson);
        do {
          byte[] traceId = OtlpRequests.randomId(16);
          HttpResponse<byte[]> r = small.post("application/x-protobuf", false,
              OtlpRequests.trace(traceId, 10, "small").toByteArray());
          String kind = "small " + r.statusCode();
          if (r.statusCode() == 200) {
            acknowledged.add(HexFormat.of().formatHex(traceId));
          } else if (r.statusCode() == 503 && r.headers().firstValue("retry-after").isPresent()) {
            kind += "+retry-after";
          }
          outcomes.merge(kind, 1, Integer::sum);
          sleep(20);
        } while (System.nanoTime() < end);
      }));
      clients.add(start("test-grpc-client", () -> {
        do {
          byte[] traceId = OtlpRequests.randomId(16);
          try {
            stub.export(bulkRequest.toBuilder().addResourceSpans(valid(traceId)).build());
            acknowledged.add(HexFormat.of().formatHex(traceId));
            outcomes.merge("grpc OK", 1, Integer::sum);
          } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            boolean hint = e.getTrailers() != null && e.getTrailers()
                .get(ProtoUtils.keyForProto(RetryInfo.getDefaultInstance())) != null;
            outcomes.merge("grpc " + code + (hint ? "+retry-info" : ""), 1, Integer::sum);
          } catch (RuntimeException e) {
            outcomes.merge("grpc " + e, 1, Integer::sum);
          }
        } while (System.nanoTime() < end);
      }));
      for (Thread t : clients) {
        t.join(TimeUnit.SECONDS.toMillis(300));
      }
      loadOver.set(true);
      health.join();
      sampler.join();
      factory.close();

      assertThat(healthFailures).as("outcomes %s", outcomes).isEmpty();
      List<Long> sorted = healthNanos.stream().sorted().toList();
      List<Long> lessGc = healthNanosLessGc.stream().sorted().toList();
      long p99 = lessGc.get((int) Math.ceil(lessGc.size() * 0.99) - 1);
      long max = lessGc.get(lessGc.size() - 1);
      String figures = String.format("load average %.1f; gzip alone %d ms, json alone %d ms;"
          + " /health n=%d p50 %d ms p99 %d ms max %d ms (less GC pauses: p99 %d ms max %d ms);"
          + " outcomes %s", ManagementFactory.getOperatingSystemMXBean()
              .getSystemLoadAverage(), ms(gzipAlone), ms(jsonAlone), sorted.size(),
          ms(sorted.get(sorted.size() / 2)),
          ms(sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1)),
          ms(sorted.get(sorted.size() - 1)), ms(p99), ms(max), outcomes);
      System.out.println("IngestOffEventLoopTest: " + figures);

      // Off the event loop, /health waits for no decode: under one body's decode time, and
      // mostly far under it (on an event loop, a /health behind a body waits for all of it).
      assertThat(max).as(figures).isLessThan(baselineNanos);
      assertThat(lessGc.get(lessGc.size() / 2)).as(figures).isLessThan(baselineNanos / 4);
      assertThat(onEventLoop).as("decoding frames on an event loop").isEmpty();
      assertThat(decodingThreads).as("threads seen decoding")
          .anyMatch(n -> n.startsWith("sextant-ingest-decode-"));
      // Every answer is an acknowledgement or a refusal the client may retry.
      assertThat(outcomes.keySet()).as(figures).allMatch(k -> k.endsWith(" 200")
          || k.endsWith(" OK") || k.endsWith("+retry-after") || k.endsWith("+retry-info"));
      assertThat(outcomes).as(figures).containsKey("small 200");
      for (String traceId : acknowledged) {
        assertThat(TestClient.get(server.httpPort(), "/api/traces/" + traceId).status())
            .as("acknowledged trace %s", traceId).isEqualTo(200);
      }
    }
  }

  @Test
  void slowBody_holdsNoEventLoop_andIsRefusedWith413AsSoonAsItCrossesTheLimit() throws Exception {
    int limit = 1 << 20;
    try (SextantServer server = SextantServer.builder().dataDir(dataDir)
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .maxRequestBytes(limit).build()) {
      server.start();
      // A declared length over the limit is refused before any of the body is sent.
      try (Socket s = new Socket("127.0.0.1", server.otlpHttpPort())) {
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/x-protobuf\r\nContent-Length: " + (2 * limit)
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(statusLine(s)).startsWith("HTTP/1.1 413");
      }
      // A chunked body trickles in; /health answers meanwhile, and the 413 comes once the body
      // crosses the limit, not after a body that never ends.
      try (Socket s = new Socket("127.0.0.1", server.otlpHttpPort())) {
        s.setSoTimeout(30_000);
        var out = s.getOutputStream();
        out.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\n"
            + "Content-Type: application/x-protobuf\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 << 10];
        int sent = 0;
        while (sent <= limit) {
          out.write((Integer.toHexString(chunk.length) + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          sent += chunk.length;
          assertThat(TestClient.get(server.httpPort(), "/health").status()).isEqualTo(200);
          sleep(20);
        }
        assertThat(statusLine(s)).startsWith("HTTP/1.1 413"); // no terminating chunk was sent
      }
    }
  }

  private static String statusLine(Socket s) throws IOException {
    StringBuilder line = new StringBuilder();
    var in = s.getInputStream();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return line.toString().trim();
  }

  /** Records decoding frames on event loops and which threads decode. */
  private static void sample(List<String> onEventLoop, Set<String> decodingThreads) {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      String name = e.getKey().getName();
      for (StackTraceElement frame : e.getValue()) {
        if (DECODE_CLASSES.contains(frame.getClassName())) {
          if (name.startsWith("armeria-common-worker")) {
            onEventLoop.add(name + " at " + frame);
          } else {
            decodingThreads.add(name);
          }
          break;
        }
      }
    }
  }

  /** Sends bodies on its own HTTP/1.1 connection. */
  private static final class Sender {
    private final HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1).build();
    private final int port;
    private final byte[] bulkGzip;
    private final byte[] bulkJson;

    Sender(int port, byte[] bulkGzip, byte[] bulkJson) {
      this.port = port;
      this.bulkGzip = bulkGzip;
      this.bulkJson = bulkJson;
    }

    /**
     * Nanoseconds one body takes alone, end to end: acknowledged, or (on a box so loaded that
     * decoding it outlasts the write timeout) refused with a retry hint once it was decoded.
     */
    long timed(boolean gzip) {
      long start = System.nanoTime();
      String traceId = HexFormat.of().formatHex(OtlpRequests.randomId(16));
      HttpResponse<byte[]> r = gzip ? sendGzip(traceId) : sendJson(traceId);
      long took = System.nanoTime() - start;
      String body = new String(r.body(), StandardCharsets.UTF_8);
      if (r.statusCode() != 200) {
        assertThat(r.statusCode()).as(body).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).as(body).isPresent();
      }
      return took;
    }

    /** gzip members concatenate: the bulk's, then one with the valid span. */
    HttpResponse<byte[]> sendGzip(String traceId) {
      byte[] tail = gzip(ExportTraceServiceRequest.newBuilder()
          .addResourceSpans(valid(HexFormat.of().parseHex(traceId))).build().toByteArray());
      return post("application/x-protobuf", true, concat(bulkGzip, tail));
    }

    HttpResponse<byte[]> sendJson(String traceId) {
      long now = System.currentTimeMillis() * 1_000_000L;
      String tail = ",{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
          + "{\"stringValue\":\"big-json\"}}]},\"scopeSpans\":[{\"spans\":[{\"traceId\":\""
          + traceId + "\",\"spanId\":\"0102030405060708\",\"name\":\"valid\","
          + "\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 1000)
          + "\"}]}]}]}";
      return post("application/json", false, concat(
          "{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8), bulkJson,
          tail.getBytes(StandardCharsets.UTF_8)));
    }

    HttpResponse<byte[]> post(String type, boolean gzip, byte[] body) {
      HttpRequest.Builder b = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/v1/traces"))
          .timeout(Duration.ofSeconds(60)).header("content-type", type)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (gzip) {
        b.header("content-encoding", "gzip");
      }
      try {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static ResourceSpans valid(byte[] traceId) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "big-body")))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
            .setTraceId(ByteString.copyFrom(traceId))
            .setSpanId(ByteString.copyFrom(OtlpRequests.spanId(1)))
            .setName("valid").setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000)))
        .build();
  }

  /** Spans with an all-zero trace ID: decoded and validated, then rejected one by one. */
  private static byte[] bulkProtobuf(int spans) {
    Random random = new Random(1);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    ByteString zeroTrace = ByteString.copyFrom(new byte[16]);
    for (int i = 0; i < spans; i++) {
      scope.addSpans(Span.newBuilder().setTraceId(zeroTrace)
          .setSpanId(ByteString.copyFrom(OtlpRequests.spanId(random.nextLong())))
          .setName("bulk-op-" + (i % 500)).setStartTimeUnixNano(1_000_000L + i)
          .setEndTimeUnixNano(2_000_000L + i)
          .addAttributes(str("http.route", "/api/v1/items/" + random.nextInt(1_000_000)))
          .addAttributes(str("user.id", Long.toHexString(random.nextLong())))
          .addAttributes(str("peer", "10.0." + random.nextInt(256) + "." + random.nextInt(256))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "bulk")))
        .addScopeSpans(scope)).build().toByteArray();
  }

  /** The same kind of spans as OTLP/JSON resource-spans items (without the brackets). */
  private static byte[] bulkJsonItems(int spans) {
    Random random = new Random(2);
    StringBuilder b = new StringBuilder(spans * 360);
    b.append("{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":")
        .append("{\"stringValue\":\"bulk\"}}]},\"scopeSpans\":[{\"spans\":[");
    for (int i = 0; i < spans; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"")
          .append(String.format("%016x", random.nextLong() | 1L)).append("\",\"name\":\"bulk-op-")
          .append(i % 500).append("\",\"startTimeUnixNano\":\"").append(1_000_000L + i)
          .append("\",\"endTimeUnixNano\":\"").append(2_000_000L + i)
          .append("\",\"attributes\":[{\"key\":\"http.route\",\"value\":{\"stringValue\":")
          .append("\"/api/v1/items/").append(random.nextInt(1_000_000))
          .append("\"}},{\"key\":\"user.id\",\"value\":{\"stringValue\":\"")
          .append(Long.toHexString(random.nextLong())).append("\"}}]}");
    }
    b.append("]}]}");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 3);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  private static long gcMillis() {
    long sum = 0;
    for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      sum += Math.max(0, gc.getCollectionTime());
    }
    return sum;
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.start();
    return t;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
