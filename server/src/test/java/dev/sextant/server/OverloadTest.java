package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.collector.RateLimits;
import dev.sextant.collector.Signal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offered load above what the limits allow: every answer is 200, a 429 with Retry-After
 * (tenant rate limit) or a 503 with Retry-After (ingest queue full) — never a timeout or reset.
 */
class OverloadTest {
  @TempDir
  Path dataDir;

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
      Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
      // Heap watcher: the ingest queue's byte budget must keep memory flat under the flood.
      java.lang.management.MemoryMXBean memory =
          java.lang.management.ManagementFactory.getMemoryMXBean();
      AtomicLong maxHeap = new AtomicLong();
      java.util.concurrent.atomic.AtomicBoolean flooding =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      Thread watcher = new Thread(() -> {
        while (flooding.get()) {
          maxHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      watcher.start();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        String tenant = t % 2 == 0 ? "flood" : "default";
        Thread c = new Thread(() -> {
          for (int i = 0; i < 12; i++) {
            byte[] body = OtlpRequests.trace(OtlpRequests.randomId(16), 150, "load")
                .toByteArray();
            String outcome;
            try {
              AggregatedHttpResponse r = http.execute(RequestHeaders.builder(HttpMethod.POST,
                  "/v1/traces").contentType(com.linecorp.armeria.common.MediaType.parse(
                      "application/x-protobuf")).add("x-scope-orgid", tenant).build(),
                  HttpData.wrap(body)).aggregate().join();
              int code = r.status().code();
              boolean hint = r.headers().contains("retry-after");
              outcome = code + (code != 200 && hint ? "+retry-after" : "");
            } catch (RuntimeException e) {
              outcome = "exception:" + e.getClass().getSimpleName();
            }
            outcomes.computeIfAbsent(tenant + " " + outcome, k -> new AtomicLong())
                .incrementAndGet();
          }
        });
        c.start();
        clients.add(c);
      }
      for (Thread c : clients) {
        c.join();
      }
      flooding.set(false);
      watcher.join();
      System.out.println("overload outcomes: " + outcomes + ", max heap used "
          + maxHeap.get() / (1 << 20) + " MiB (client and server share this JVM)");
      // Generous: the server, the Armeria client and test data share one JVM and GC lazily.
      assertThat(maxHeap.get()).isLessThan(1536L << 20);
      assertThat(outcomes.keySet()).allMatch(k -> k.endsWith(" 200")
          || k.endsWith(" 429+retry-after") || k.endsWith(" 503+retry-after"));
      assertThat(outcomes).containsKey("flood 429+retry-after");
      assertThat(outcomes.keySet()).anyMatch(k -> k.endsWith(" 200"));
      assertThat(TestClient.get(server.httpPort(), "/health").status()).isEqualTo(200);
    }
  }
}
