package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces from the real OpenTelemetry SDK, sent over OTLP gRPC to a running server, then asked
 * "what is different about the bad ones" ({@code /api/compare}) and "where does the time go"
 * ({@code /api/critical-path}) with a fault and a latency injected on known places.
 */
class AnswersSdkEndToEndTest {
  private static final long MS = 1_000_000L;

  @TempDir
  Path dataDir;

  @Test
  void compare_ranksTheInjectedFaultFirstWithItsProportions() {
    try (SextantServer server = start()) {
      List<SdkTracerProvider> providers = new ArrayList<>();
      Tracer gateway = tracer(providers, server, "gateway");
      Tracer payments = tracer(providers, server, "payments");
      long base = (System.currentTimeMillis() - Duration.ofMinutes(20).toMillis()) * MS;
      // 40 failing charges, 32 (80 %) through acme; 160 good ones, 5 (3.1 %) through acme.
      // 30 charges over 500ms, 27 of them cache misses; 4 of the 170 fast ones miss.
      for (int i = 0; i < 200; i++) {
        boolean failing = i < 40;
        boolean acme = failing ? i < 32 : i < 45;
        boolean slow = i >= 100 && i < 130;
        boolean miss = slow ? i < 127 : (i >= 130 && i < 134);
        long start = base + i * 5_000 * MS;
        long dur = (slow ? 700 : 80) * MS;
        Span root = gateway.spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS).startSpan();
        Span charge = payments.spanBuilder("charge").setSpanKind(SpanKind.SERVER)
            .setParent(Context.root().with(root))
            .setStartTimestamp(start + 5 * MS, TimeUnit.NANOSECONDS)
            .setAttribute("payment.provider", acme ? "acme" : (i % 2 == 0 ? "stripe" : "adyen"))
            .setAttribute("cache.hit", !miss)
            .setAttribute("order.number", "order-" + i) // unique per trace: high cardinality
            .setAttribute("user.id", "u" + (i % 7)) // an ID by its name
            .startSpan();
        if (failing) {
          charge.setStatus(StatusCode.ERROR, "declined");
        }
        charge.end(start + 5 * MS + dur, TimeUnit.NANOSECONDS);
        root.end(start + 10 * MS + dur, TimeUnit.NANOSECONDS);
      }
      flush(providers);
      int port = server.httpPort();
      String window = "&start=" + (base / MS - 60_000) + "&end=" + System.currentTimeMillis();

      JsonNode errors = await().atMost(Duration.ofSeconds(30)).until(() -> TestClient.get(port,
          "/api/compare?service=payments&operation=charge&selection=error" + window).json(),
          j -> j.get("selectionTraces").get("total").asInt() == 40
              && j.get("baselineTraces").get("analysed").asInt() == 160);
      System.out.println("AnswersSdkEndToEndTest compare: " + errors);
      assertThat(errors.get("sampled").asBoolean()).as(errors.toString()).isFalse();
      JsonNode top = errors.get("differences").get(0);
      assertThat(top.get("key").asText()).as(errors.toString()).isEqualTo("payment.provider");
      assertThat(top.get("value").asText()).isEqualTo("acme");
      assertThat(top.get("scope").asText()).isEqualTo("span");
      assertThat(top.get("selection").get("count").asInt()).isEqualTo(32);
      assertThat(top.get("selection").get("proportion").asDouble()).isCloseTo(0.8, within(1e-9));
      assertThat(top.get("baseline").get("count").asInt()).isEqualTo(5);
      assertThat(top.get("baseline").get("proportion").asDouble())
          .isCloseTo(5 / 160.0, within(1e-9));
      assertThat(top.get("text").asText())
          .isEqualTo("80 % of failing traces have payment.provider=acme, 3 % of the others");
      assertThat(errors.get("ignoredKeys").toString()).contains("order.number")
          .contains("user.id");
      assertThat(errors.get("differences").toString()).doesNotContain("order-")
          .doesNotContain("user.id");

      JsonNode slow = TestClient.get(port,
          "/api/compare?service=payments&operation=charge&selection=duration%3E500ms" + window)
          .json();
      assertThat(slow.get("selectionTraces").get("total").asInt()).as(slow.toString())
          .isEqualTo(30);
      JsonNode slowTop = slow.get("differences").get(0);
      assertThat(slowTop.get("key").asText() + "=" + slowTop.get("value").asText())
          .as(slow.toString()).isEqualTo("cache.hit=false");
      assertThat(slowTop.get("selection").get("proportion").asDouble())
          .isCloseTo(0.9, within(1e-9));
      assertThat(slowTop.get("baseline").get("proportion").asDouble())
          .isCloseTo(4 / 170.0, within(1e-9));

      TestClient.Response bad = TestClient.get(port, "/api/compare?selection=slow" + window);
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("selection: 'slow' (expected: error, duration>DURATION");
    }
  }

  @Test
  void criticalPath_showsTheShareOfTheServiceThatGotSlower() {
    try (SextantServer server = start()) {
      List<SdkTracerProvider> providers = new ArrayList<>();
      Tracer gateway = tracer(providers, server, "gateway");
      Tracer inventory = tracer(providers, server, "inventory");
      Tracer payments = tracer(providers, server, "payments");
      long windowLen = Duration.ofMinutes(10).toNanos();
      long end = (System.currentTimeMillis() - Duration.ofMinutes(1).toMillis()) * MS;
      long start = end - windowLen;
      // 30 orders per window: inventory 50ms, then payments 50ms before and 300ms now.
      for (int w = 0; w < 2; w++) {
        long windowStart = start - windowLen + w * windowLen;
        long chargeMs = w == 0 ? 50 : 300;
        for (int i = 0; i < 30; i++) {
          long t = windowStart + (i + 1) * 15_000 * MS;
          Span root = gateway.spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER)
              .setStartTimestamp(t, TimeUnit.NANOSECONDS).startSpan();
          Context parent = Context.root().with(root);
          inventory.spanBuilder("reserve").setSpanKind(SpanKind.SERVER).setParent(parent)
              .setStartTimestamp(t + 10 * MS, TimeUnit.NANOSECONDS).startSpan()
              .end(t + 60 * MS, TimeUnit.NANOSECONDS);
          payments.spanBuilder("charge").setSpanKind(SpanKind.SERVER).setParent(parent)
              .setStartTimestamp(t + 65 * MS, TimeUnit.NANOSECONDS).startSpan()
              .end(t + (65 + chargeMs) * MS, TimeUnit.NANOSECONDS);
          root.end(t + (75 + chargeMs) * MS, TimeUnit.NANOSECONDS);
        }
      }
      flush(providers);
      int port = server.httpPort();
      String path = "/api/critical-path?service=gateway&operation=POST%20/api/orders&start="
          + start / MS + "&end=" + end / MS;

      JsonNode r = await().atMost(Duration.ofSeconds(30)).until(
          () -> TestClient.get(port, path).json(),
          j -> j.get("window").get("analysed").asInt() == 30
              && j.get("previousWindow").get("analysed").asInt() == 30);
      System.out.println("AnswersSdkEndToEndTest critical path: " + r);
      assertThat(r.get("sampled").asBoolean()).as(r.toString()).isFalse();
      JsonNode grew = r.get("grewMost");
      assertThat(grew.get("service").asText()).as(r.toString()).isEqualTo("payments");
      assertThat(grew.get("operation").asText()).isEqualTo("charge");
      // Now 300 of 375ms on the critical path, before 50 of 125ms.
      assertThat(grew.get("share").get("p50").asDouble()).isCloseTo(0.8, within(1e-6));
      assertThat(grew.get("share").get("p99").asDouble()).isCloseTo(0.8, within(1e-6));
      assertThat(grew.get("previousShare").get("p50").asDouble()).isCloseTo(0.4, within(1e-6));
      assertThat(grew.get("delta").get("mean").asDouble()).isCloseTo(0.4, within(1e-6));
      assertThat(r.get("window").get("durationNanos").get("p50").asLong()).isEqualTo(375 * MS);
      assertThat(r.get("previousWindow").get("durationNanos").get("p99").asLong())
          .isEqualTo(125 * MS);
      // Rows by current share: payments, then inventory (50 of 375ms, was 50 of 125ms), then
      // the gateway's own 25ms.
      JsonNode rows = r.get("operations");
      assertThat(rows.get(0).get("service").asText()).isEqualTo("payments");
      assertThat(rows.get(1).get("service").asText()).as(r.toString()).isEqualTo("inventory");
      assertThat(rows.get(1).get("share").get("p50").asDouble())
          .isCloseTo(50 / 375.0, within(1e-6));
      assertThat(rows.get(1).get("delta").get("mean").asDouble())
          .isCloseTo(50 / 375.0 - 0.4, within(1e-6));
      assertThat(rows.get(2).get("service").asText()).isEqualTo("gateway");
      assertThat(TestClient.get(port, "/api/critical-path?service=gateway").status())
          .isEqualTo(400);
    }
  }

  private SextantServer start() {
    SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).build();
    server.start();
    return server;
  }

  private static void flush(List<SdkTracerProvider> providers) {
    providers.forEach(p -> p.forceFlush().join(10, TimeUnit.SECONDS));
    providers.forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
  }

  private static Tracer tracer(List<SdkTracerProvider> providers, SextantServer server,
      String service) {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service)))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.grpcPort()).build()).build())
        .build();
    providers.add(p);
    return p.get("test");
  }
}
