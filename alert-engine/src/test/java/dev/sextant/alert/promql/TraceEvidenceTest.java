package dev.sextant.alert.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.storage.Attributes;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.metrics.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page's findings over real embedded storage: orders through gateway → inventory, payments;
 * 20 of the last 10 minutes' 60 charges failed, 16 of them through acme (2 of the good ones);
 * the charge took 50 of 125 ms 25 minutes ago and 300 of 375 ms in the last 10.
 */
class TraceEvidenceTest {
  static final long MS = 1_000_000L;
  @TempDir static Path dir;
  static Storage storage;
  static Instant now;

  @BeforeAll
  static void fill() throws Exception {
    storage = EmbeddedStorage.open(dir.resolve("data"));
    now = Instant.ofEpochMilli(System.currentTimeMillis());
    long nowNs = now.toEpochMilli() * MS;
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean failing = i < 20;
      boolean acme = failing ? i < 16 : i < 22;
      long t = nowNs - 10 * 60_000 * MS + i * 5_000 * MS;
      order(spans, i + 1, t, 300, failing, acme ? "acme" : "stripe");
      order(spans, 1000 + i, t - 15 * 60_000 * MS, 50, false, "stripe");
    }
    storage.spanConsumer().accept(spans).get();
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (storage.spanSearch().search(TraceQuery.builder().limit(1000).build()).size() < 120) {
      assertThat(System.nanoTime()).as("spans searchable within 20 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  @Test
  void find_namesTheValuesThatSetTheFailingTracesApart() {
    Evidence e = new TraceEvidence(storage, "http://sextant:8686/").find(
        Labels.of("alertname", "PaymentsFailing", "service", "payments"),
        now.minus(Duration.ofMinutes(5)), now);
    assertThat(e.findings()).isNotEmpty().hasSizeLessThanOrEqualTo(4);
    Evidence.Finding top = e.findings().get(0);
    assertThat(top.text())
        .isEqualTo("80 % of failing traces have payment.provider=acme, 5 % of the others");
    assertThat(top.href()).isEqualTo("http://sextant:8686/ui/compare?service=payments"
        + "&operation=&selection=error&lookback=1h");
    // Not a latency alert, but a shift of 40 points: the critical path of the entry point
    // payments is reached through says so too.
    assertThat(e.findings()).extracting(Evidence.Finding::text).contains("Critical path of "
        + "gateway POST /api/orders: payments charge grew from 40 % to 80 % of the time (mean "
        + "share, against the 15 min before)");
    assertThat(e.traces()).isNotEmpty();
  }

  @Test
  void find_triesShorterWindowsWhenTheOneBeforeHoldsNoTrace() {
    // 2 minutes of history only: 50 ms charges 2-1 minutes ago, 300 ms ones in the last minute.
    Instant end = now.plus(Duration.ofHours(3));
    List<Span> spans = new ArrayList<>();
    long endNs = end.toEpochMilli() * MS;
    for (int i = 0; i < 20; i++) {
      order(spans, 5000 + i, endNs - 115_000 * MS + i * 2_000 * MS, 50, false, "stripe");
      order(spans, 6000 + i, endNs - 55_000 * MS + i * 2_000 * MS, 300, i < 10, "acme");
    }
    storage.spanConsumer().accept(spans).join();
    await().atMost(Duration.ofSeconds(20)).until(() -> storage.spanSearch().search(
        TraceQuery.builder().timeRange(endNs - 120_000 * MS, endNs).limit(100).build())
        .size() == 40);
    Evidence e = new TraceEvidence(storage, "http://sextant:8686").find(
        Labels.of("alertname", "ShopHighErrorRate", "job", "payments"),
        end.minus(Duration.ofMinutes(1)), end);
    assertThat(e.findings()).extracting(Evidence.Finding::text).contains("Critical path of "
        + "gateway POST /api/orders: payments charge grew from 40 % to 80 % of the time (mean "
        + "share, against the 1 min before)");
    assertThat(e.findings().get(0).text())
        .isEqualTo("100 % of failing traces have payment.provider=acme, 33 % of the others");
  }

  @Test
  void find_namesTheOperationWhoseCriticalPathShareGrewForALatencyAlert() {
    Evidence e = new TraceEvidence(storage, "http://sextant:8686").find(
        Labels.of("alertname", "OrdersLatencyHigh", "service", "gateway"),
        now.minus(Duration.ofMinutes(2)), now);
    assertThat(e.findings()).extracting(Evidence.Finding::text).contains("Critical path of "
        + "gateway POST /api/orders: payments charge grew from 40 % to 80 % of the time (mean "
        + "share, against the 15 min before)");
    assertThat(e.findings()).anyMatch(f -> f.href().equals("http://sextant:8686/ui/services/"
        + "gateway/critical-path?operation=POST+%2Fapi%2Forders&range=1h"));
  }

  private static void order(List<Span> out, int n, long t, long chargeMs, boolean failing,
      String provider) {
    String trace = String.format(Locale.ROOT, "%032x", n);
    out.add(span(trace, 1, 0, "gateway", "POST /api/orders", t, t + (75 + chargeMs) * MS,
        StatusCode.UNSET, Map.of()));
    out.add(span(trace, 2, 1, "inventory", "reserve", t + 10 * MS, t + 60 * MS,
        StatusCode.UNSET, Map.of()));
    out.add(span(trace, 3, 1, "payments", "charge", t + 65 * MS, t + (65 + chargeMs) * MS,
        failing ? StatusCode.ERROR : StatusCode.UNSET, Map.of("payment.provider", provider)));
  }

  private static Span span(String trace, int id, int parent, String service, String name,
      long start, long end, StatusCode status, Map<String, Object> attrs) {
    return Span.builder().traceId(trace).spanId(String.format(Locale.ROOT, "%016x", id))
        .parentSpanId(parent == 0 ? "" : String.format(Locale.ROOT, "%016x", parent))
        .serviceName(service).name(name).kind(SpanKind.SERVER).startTimeUnixNano(start)
        .endTimeUnixNano(end).statusCode(status).attributes(attrs)
        .resourceAttributes(Attributes.of("service.name", service)).build();
  }
}
