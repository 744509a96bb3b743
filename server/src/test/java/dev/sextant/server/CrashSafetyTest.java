package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: the server runs in a child JVM under sustained OTLP ingest of spans, logs and
 * metric samples from concurrent clients (gRPC and HTTP), and is killed with SIGKILL at a random
 * moment; after each restart on the same data directory the store opens on its own (no repair
 * step, no corruption reported) and every span, log record and sample acknowledged in any
 * earlier cycle is found through the query APIs.
 *
 * <p>3 cycles in {@code mvn verify}; 20 with {@code -Dsextant.soak=true}.
 */
class CrashSafetyTest {
  private static final int CYCLES = Boolean.getBoolean("sextant.soak") ? 20 : 3;
  private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");

  @TempDir
  Path dir;

  @Test
  void sigkillUnderIngestOfAllSignals_keepsEveryAcknowledgedItem() throws Exception {
    Path data = dir.resolve("data");
    IngestLoad.Acked acked = new IngestLoad.Acked();
    long checkedSpans = 0;
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      Path log = dir.resolve("server-" + cycle + ".log");
      try (SextantChild child = SextantChild.start(List.of(), JVM, data, null, log)) {
        if (cycle > 1) {
          checkedSpans = verify(child.httpPort, acked);
          assertNoRepair(log);
        }
        IngestLoad load = new IngestLoad(child, "c" + cycle, acked);
        load.start();
        load.awaitAcksOfEverySignal(120_000);
        Thread.sleep(ThreadLocalRandom.current().nextLong(200, 3000));
        load.killing();
        child.kill();
        load.stop();
      }
      System.out.printf("crash cycle %d/%d: acknowledged so far %d traces, %d log exports,"
          + " %d samples (%d refusals)%n", cycle, CYCLES, acked.traceIds.size(),
          acked.logBatches.size(), acked.sampleCount(), acked.refusals.get());
    }
    Path log = dir.resolve("server-final.log");
    try (SextantChild child = SextantChild.start(List.of(), JVM, data, null, log)) {
      checkedSpans = verify(child.httpPort, acked);
      assertNoRepair(log);
      child.stop();
    }
    System.out.printf("crash safety: %d SIGKILL cycles survived; checked %d spans (%d traces),"
        + " %d log records (%d exports), %d samples%n", CYCLES, checkedSpans,
        acked.traceIds.size(), acked.logBatches.size() * IngestLoad.LOGS_PER_EXPORT,
        acked.logBatches.size(), acked.sampleCount());
    assertThat(acked.traceIds).hasSizeGreaterThan(CYCLES);
    assertThat(acked.logBatches).hasSizeGreaterThan(CYCLES);
    assertThat(acked.sampleCount()).isGreaterThan(CYCLES);
  }

  /** Every acknowledged item, through the query APIs; returns the number of spans checked. */
  private static long verify(int port, IngestLoad.Acked acked) {
    long spans = 0;
    for (String traceId : acked.traceIds) {
      TestClient.Response r = TestClient.get(port, "/api/traces/" + traceId);
      assertThat(r.status()).as("trace %s", traceId).isEqualTo(200);
      assertThat(r.json().get("spanCount").asInt()).as("spans of trace %s", traceId)
          .isEqualTo(IngestLoad.SPANS_PER_TRACE);
      spans += IngestLoad.SPANS_PER_TRACE;
    }
    for (String batch : acked.logBatches) {
      TestClient.Response r = TestClient.get(port, "/api/logs?correlationId=" + batch
          + "&start=" + (System.currentTimeMillis() / 1000 - 3 * 3600) + "&limit=100");
      assertThat(r.status()).as("logs of %s: %s", batch, r.body()).isEqualTo(200);
      assertThat(r.json().get("records")).as("log records of export %s", batch)
          .hasSize(IngestLoad.LOGS_PER_EXPORT);
    }
    for (Map.Entry<String, ConcurrentLinkedQueue<long[]>> e : acked.samples.entrySet()) {
      Map<Long, Double> stored = samples(port, e.getKey());
      for (long[] sample : e.getValue()) {
        assertThat(stored.get(sample[0])).as("sample of %s at %d", e.getKey(), sample[0])
            .isEqualTo((double) sample[1]);
      }
    }
    return spans;
  }

  /** The raw samples of {@code crash_probe{writer}} over the last 3 hours: time ms → value. */
  private static Map<Long, Double> samples(int port, String writer) {
    String query = URLEncoder.encode("crash_probe{writer=\"" + writer + "\"}[3h]",
        StandardCharsets.UTF_8);
    double now = System.currentTimeMillis() / 1000.0 + 1;
    TestClient.Response r = TestClient.get(port, "/api/v1/query?query=" + query + "&time=" + now);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Map<Long, Double> out = new HashMap<>();
    for (JsonNode series : r.json().path("data").path("result")) {
      for (JsonNode v : series.get("values")) {
        out.put(Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asText()));
      }
    }
    return out;
  }

  /** The store opened by itself: no repair, nothing reported corrupt. */
  private static void assertNoRepair(Path log) throws IOException {
    String text = Files.readString(log).toLowerCase(Locale.ROOT);
    assertThat(text).doesNotContain("corrupt").doesNotContain("repair");
  }
}
