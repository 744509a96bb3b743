package dev.sextant.ui;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.query.trace.TraceService;
import dev.sextant.storage.Attributes;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanBuilder;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real embedded storage holding a small checkout trace (errors, an orphan, clock skew, events,
 * links, logs sharing a correlation ID), a 10,000-span trace, half an hour of RED metrics and a
 * real alert engine with a firing and a pending alert, served by a real Armeria server with the
 * trace API and the UI, as the Sextant server wires them.
 */
final class UiFixture implements AutoCloseable {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String BIG_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String OTHER_TRACE = "5b8aa5a2d2c872e8321cf37308d69df2";
  static final String ROOT = "00f067aa0ba902b7";
  static final String PLACE_ORDER = "53995c3f42cd8ad8";
  static final String CHARGE = "b7ad6b7169203331";
  static final String CORRELATION = "order-4711";
  static final int BIG_SPANS = 10_000;

  final Storage storage;
  final Server server;
  final PromqlEngine promql;
  final UiAlerts alerts;
  final long now = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;

  UiFixture(Path dir) throws Exception {
    this(dir, TraceRead.DEFAULT_MAX_SPANS);
  }

  /** With the trace API's read limit at {@code maxSpans}. */
  UiFixture(Path dir, int maxSpans) throws Exception {
    storage = EmbeddedStorage.open(dir);
    storage.spanConsumer().accept(smallTrace()).get();
    storage.spanConsumer().accept(otherTrace()).get();
    storage.spanConsumer().accept(bigTrace()).get();
    storage.logConsumer().accept(logs()).get();
    storage.metricWriter().write(UiMetrics.red(now / 1_000_000)).get();
    awaitIndexed();
    promql = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
    alerts = new UiAlerts(Files.createDirectories(dir.resolve("alerting")), promql);
    alerts.fire();
    ServerBuilder sb = Server.builder().http(0);
    sb.service("/api/traces/{traceId}", new TraceService(storage.traceReader(), null, maxSpans));
    // Evidence as the server's provider gives it: absolute links into the UI.
    sb.service(WebUi.builder().storage(storage).promql(promql).alerts(alerts.engine)
        .evidence((labels, from, to) -> new Evidence(List.of(new Evidence.Link(
            "http://sextant.example:8686/ui/traces/" + TRACE, "frontend GET /checkout error")),
            List.of(new Evidence.LogLine("card declined by issuer", 1, "payments", "ERROR")),
            List.of(new Evidence.Finding("80 % of failing traces have payment.provider=acme, "
                + "3 % of the others", "http://sextant.example:8686/ui/compare?service=payments"
                + "&operation=&selection=error&lookback=1h"))))
        .build());
    // As the server does: the browser tests then check every page against the CSP.
    sb.decorator(new SecurityHeaders());
    server = sb.build();
    server.start().join();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  private long ms(double millis) {
    return now + (long) (millis * 1_000_000);
  }

  private List<Span> smallTrace() {
    Map<String, Object> frontend = Attributes.of("service.name", "frontend", "host.name", "web-1");
    Map<String, Object> checkout = Attributes.of("service.name", "checkout", "host.name", "app-2");
    Map<String, Object> payments = Attributes.of("service.name", "payments");
    Map<String, Object> fraud = Attributes.of("service.name", "fraud");
    return List.of(
        s(TRACE, ROOT, "", "frontend", frontend, "GET /checkout", SpanKind.SERVER, 0, 120)
            .attributes(Attributes.of("http.request.method", "GET", "http.route", "/checkout",
                "http.response.status_code", 500L, "correlation_id", CORRELATION)).build(),
        s(TRACE, "a1b2c3d4e5f60718", ROOT, "frontend", frontend, "POST checkout", SpanKind.CLIENT,
            5, 110).build(),
        s(TRACE, PLACE_ORDER, "a1b2c3d4e5f60718", "checkout", checkout, "PlaceOrder",
            SpanKind.SERVER, 8, 105)
            .attributes(Attributes.of("correlation.id", CORRELATION, "order.items", 3L))
            .events(List.of(new SpanEvent(ms(12), "order.validated",
                Attributes.of("items", 3L), 0)))
            .links(List.of(new SpanLink(OTHER_TRACE, "1111111111111111", "", Attributes.empty(), 0)))
            .build(),
        s(TRACE, "c0ffee0000000001", PLACE_ORDER, "checkout", checkout, "Charge card",
            SpanKind.CLIENT, 15, 95).build(),
        s(TRACE, CHARGE, "c0ffee0000000001", "payments", payments, "Charge", SpanKind.SERVER, 20, 90)
            .statusCode(StatusCode.ERROR).statusMessage("card declined")
            .events(List.of(new SpanEvent(ms(88), "exception", Attributes.of(
                "exception.type", "CardDeclinedException", "exception.message", "declined"), 0)))
            .build(),
        s(TRACE, "c0ffee0000000002", PLACE_ORDER, "checkout", checkout, "call fraud",
            SpanKind.CLIENT, 50, 60).build(),
        // Its clock runs 40 ms behind: it seems to start before the call that caused it.
        s(TRACE, "c0ffee0000000003", "c0ffee0000000002", "fraud", fraud, "Score", SpanKind.SERVER,
            12, 19).build(),
        s(TRACE, "c0ffee0000000004", PLACE_ORDER, "checkout", checkout, "SELECT orders",
            SpanKind.CLIENT, 92, 100).attributes(Attributes.of("db.system", "postgresql")).build(),
        // Its parent never arrived.
        s(TRACE, "c0ffee0000000005", "deadbeefdeadbeef", "payments", payments, "Refund audit",
            SpanKind.INTERNAL, 40, 70).build());
  }

  private List<Span> otherTrace() {
    Map<String, Object> frontend = Attributes.of("service.name", "frontend");
    return List.of(s(OTHER_TRACE, "1111111111111111", "", "frontend", frontend, "GET /",
        SpanKind.SERVER, -1000, -990).build());
  }

  /** A 4-ary tree of 10,000 spans over 5 services, children inside their parents. */
  private List<Span> bigTrace() {
    String[] services = {"gateway", "orders", "stock", "billing", "mailer"};
    long[] start = new long[BIG_SPANS];
    long[] end = new long[BIG_SPANS];
    start[0] = ms(-3000);
    end[0] = ms(-3000 + 10_000);
    List<Span> out = new ArrayList<>(BIG_SPANS);
    for (int i = 0; i < BIG_SPANS; i++) {
      String parent = "";
      if (i > 0) {
        int p = (i - 1) / 4;
        int k = (i - 1) % 4;
        long slot = (end[p] - start[p]) / 4;
        start[i] = start[p] + k * slot + slot / 10;
        end[i] = start[p] + (k + 1) * slot - slot / 10;
        parent = String.format("%016x", p + 1);
      }
      String service = services[i % services.length];
      out.add(Span.builder().traceId(BIG_TRACE).spanId(String.format("%016x", i + 1))
          .parentSpanId(parent).name("op-" + i).kind(SpanKind.INTERNAL)
          .startTimeUnixNano(start[i]).endTimeUnixNano(end[i]).serviceName(service)
          .resourceAttributes(Attributes.of("service.name", service))
          .attributes(Attributes.of("i", (long) i))
          .statusCode(i % 997 == 0 && i > 0 ? StatusCode.ERROR : StatusCode.UNSET).build());
    }
    return out;
  }

  private List<LogRecord> logs() {
    return List.of(
        log(10, 9, "checkout", "placing order 4711 for customer 42", TRACE, PLACE_ORDER, CORRELATION),
        log(11, 5, "checkout", "inventory reserved for 3 items", TRACE, PLACE_ORDER, CORRELATION),
        log(89, 17, "payments", "card declined by issuer", TRACE, CHARGE, CORRELATION),
        log(-500, 9, "frontend", "session cache warmed for checkout", "", "", CORRELATION),
        log(-400, 13, "frontend", "slow upstream: 900 ms", "", "", ""));
  }

  private LogRecord log(double atMs, int severity, String service, String body, String traceId,
      String spanId, String correlationId) {
    return LogRecord.builder().timeUnixNano(ms(atMs)).observedTimeUnixNano(ms(atMs))
        .severityNumber(severity).body(body).serviceName(service)
        .resourceAttributes(Attributes.of("service.name", service))
        .traceId(traceId).spanId(spanId).correlationId(correlationId).build();
  }

  private SpanBuilder s(String traceId, String id, String parent,
      String service, Map<String, Object> resource, String name, SpanKind kind, double startMs,
      double endMs) {
    return Span.builder().traceId(traceId).spanId(id).parentSpanId(parent).serviceName(service)
        .resourceAttributes(resource).name(name).kind(kind).startTimeUnixNano(ms(startMs))
        .endTimeUnixNano(ms(endMs)).scopeName("io.opentelemetry.test").scopeVersion("1.0");
  }

  /** Spans are searchable shortly after their write is durable. */
  private void awaitIndexed() throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (storage.spanSearch().search(TraceQuery.builder().limit(10).build()).size() >= 3) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("spans not searchable within 20 s");
  }

  @Override
  public void close() {
    server.stop().join();
    alerts.close();
    storage.close();
  }
}
