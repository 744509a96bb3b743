package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offered load well above what the limits allow, for ~10 s (a minute with
 * {@code -Dsextant.soak=true}), from HTTP and gRPC clients: every answer is a success, a 429 /
 * RESOURCE_EXHAUSTED (tenant rate limit) or a 503 / UNAVAILABLE (ingest queue full), each
 * refusal with a retry hint — never a timeout or reset; {@code /health} keeps answering with its
 * memory check up (heap under {@code maxHeapUsedRatio}); once the load drops every request is
 * accepted again.
 */
class OverloadTest {
  private static final long FLOOD_MILLIS = Boolean.getBoolean("sextant.soak") ? 60_000 : 10_000;
  private static final Metadata.Key<RetryInfo> RETRY_INFO =
      ProtoUtils.keyForProto(RetryInfo.getDefaultInstance());

  @TempDir
  Path dataDir;

  private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
  private final AtomicBoolean flooding = new AtomicBoolean(true);
  /** Refusals by the reason their message gives, for the printed figures only. */
  private static final Map<String, AtomicLong> REASONS = new ConcurrentHashMap<>();

  @Test
  void flood_isRefusedWithRetryableStatusesNotTimeouts() throws Exception {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).queueBytes(48 * 1024)
        .rateLimits(RateLimits.create().tenantLimit("flood", Signal.TRACES,
            new RateLimits.Limit(50, 300)))
        .build()) {
      server.start();
      WebClient http = WebClient.builder("http://127.0.0.1:" + server.otlpHttpPort())
          .responseTimeoutMillis(30_000).build();
      var grpc = GrpcClients.builder("http://127.0.0.1:" + server.grpcPort())
          .responseTimeoutMillis(30_000).build(TraceServiceGrpc.TraceServiceBlockingStub.class);
      AtomicLong maxHeap = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      threads.add(thread(() -> watchHeap(maxHeap)));
      threads.add(thread(() -> pollHealth(server.httpPort())));
      for (int t = 0; t < 8; t++) {
        String tenant = t % 2 == 0 ? "flood" : "default";
        threads.add(thread(() -> {
          while (flooding.get()) {
            count(tenant + " http " + postOutcome(http, tenant));
          }
        }));
      }
      for (int t = 0; t < 4; t++) {
        String tenant = t % 2 == 0 ? "flood" : "default";
        threads.add(thread(() -> {
          while (flooding.get()) {
            count(tenant + " grpc " + grpcOutcome(grpc, tenant));
          }
        }));
      }
      long start = System.nanoTime();
      // At least the flood's length, longer if a loaded machine has not yet produced both kinds
      // of refusal the assertions below need (each request may take seconds there).
      long minEnd = start + TimeUnit.MILLISECONDS.toNanos(FLOOD_MILLIS);
      long maxEnd = minEnd + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < minEnd
          || (!sawEveryRefusalKind() && System.nanoTime() < maxEnd)) {
        Thread.sleep(100);
      }
      flooding.set(false);
      for (Thread t : threads) {
        t.join(60_000);
      }
      double floodSeconds = (System.nanoTime() - start) / 1e9;
      long recoveryStart = System.nanoTime();
      int recovered = 0;
      for (int i = 0; i < 20; i++) {
        recovered += postOutcome(http, "default").equals("200") ? 1 : 0;
      }
      double recoverySeconds = (System.nanoTime() - recoveryStart) / 1e9;
      long maxHeapBytes = Runtime.getRuntime().maxMemory();
      System.out.printf("overload: refusal reasons %s%n", REASONS);
      System.out.printf("overload: %.0f s flood, outcomes %s; accepted %.1f req/s during the"
          + " flood, %.1f req/s after it (20 sequential); max heap used %d MiB of %d MiB"
          + " (client and server share this JVM)%n", floodSeconds, outcomes,
          accepted() / floodSeconds, 20 / recoverySeconds, maxHeap.get() >> 20,
          maxHeapBytes >> 20);
      assertThat(outcomes.keySet()).allMatch(k -> k.endsWith(" 200")
          || k.endsWith(" 429+retry-after") || k.endsWith(" 503+retry-after")
          || k.endsWith(" RESOURCE_EXHAUSTED+retry-info") || k.endsWith(" UNAVAILABLE+retry-info")
          || k.startsWith("health "));
      assertThat(outcomes).containsKey("flood http 429+retry-after");
      assertThat(outcomes).containsKey("flood grpc RESOURCE_EXHAUSTED+retry-info");
      assertThat(outcomes.keySet()).anyMatch(k -> k.endsWith(" 200") && !k.startsWith("health"));
      assertThat(outcomes.keySet()).filteredOn(k -> k.startsWith("health "))
          .isNotEmpty().allMatch(k -> k.equals("health memory=up"));
      assertThat(maxHeap.get()).isLessThan((long) (maxHeapBytes * 0.95));
      assertThat(recovered).as("requests accepted once the load dropped").isEqualTo(20);
      assertThat(TestClient.get(server.httpPort(), "/health").status()).isEqualTo(200);
    }
  }

  private boolean sawEveryRefusalKind() {
    return outcomes.containsKey("flood http 429+retry-after")
        && outcomes.containsKey("flood grpc RESOURCE_EXHAUSTED+retry-info");
  }

  private long accepted() {
    return outcomes.entrySet().stream().filter(e -> e.getKey().endsWith(" 200")
        && !e.getKey().startsWith("health")).mapToLong(e -> e.getValue().get()).sum();
  }

  private void count(String outcome) {
    outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }

  private static Thread thread(Runnable r) {
    Thread t = new Thread(r);
    t.start();
    return t;
  }

  private static String postOutcome(WebClient http, String tenant) {
    byte[] body = OtlpRequests.trace(OtlpRequests.randomId(16), 150, "load").toByteArray();
    try {
      AggregatedHttpResponse r = http.execute(RequestHeaders.builder(HttpMethod.POST,
          "/v1/traces").contentType(MediaType.parse("application/x-protobuf"))
          .add("x-scope-orgid", tenant).build(), HttpData.wrap(body)).aggregate().join();
      int code = r.status().code();
      if (code != 200) {
        reason("http " + code, r.contentUtf8());
      }
      return code + (code != 200 && r.headers().contains("retry-after") ? "+retry-after" : "");
    } catch (RuntimeException e) {
      return "exception:" + e.getClass().getSimpleName();
    }
  }

  private static String grpcOutcome(TraceServiceGrpc.TraceServiceBlockingStub grpc,
      String tenant) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), tenant);
    try {
      grpc.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .export(OtlpRequests.trace(OtlpRequests.randomId(16), 150, "load"));
      return "200";
    } catch (StatusRuntimeException e) {
      Metadata trailers = Status.trailersFromThrowable(e);
      boolean hint = trailers != null && trailers.containsKey(RETRY_INFO);
      reason("grpc " + e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription()));
      return e.getStatus().getCode() + (hint ? "+retry-info" : "");
    } catch (RuntimeException e) {
      return "exception:" + e.getClass().getSimpleName();
    }
  }

  private static void reason(String outcome, String message) {
    String why = message.contains("rate limit") ? "rate limit"
        : message.contains("queue is full") ? "queue full"
        : message.contains("did not confirm the write") ? "storage timeout"
        : message.contains("body not received") ? "body timeout"
        : message.contains("storage unavailable") ? "storage error"
        : "other: " + message.substring(0, Math.min(80, message.length()));
    REASONS.computeIfAbsent(outcome + " " + why, k -> new AtomicLong()).incrementAndGet();
  }

  /** The ingest queue's byte budget must keep memory flat under the flood. */
  private void watchHeap(AtomicLong maxHeap) {
    var memory = ManagementFactory.getMemoryMXBean();
    while (flooding.get()) {
      maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
      sleep(50);
    }
  }

  /** {@code /health} must keep answering (status and its memory check) during the flood. */
  private void pollHealth(int port) {
    while (flooding.get()) {
      try {
        TestClient.Response r = TestClient.get(port, "/health");
        count("health memory=" + r.json().at("/checks/memory/status").asText());
      } catch (RuntimeException e) {
        count("health exception:" + e.getClass().getSimpleName());
      }
      sleep(200);
    }
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
