package dev.sextant.storage;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Span fixtures for storage tests. */
public final class TestSpans {
  private TestSpans() {}

  public static String randomHex(int chars) {
    StringBuilder sb = new StringBuilder(chars);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < chars; i++) {
      sb.append(Character.forDigit(r.nextInt(16), 16));
    }
    // Never all zero: IDs of zeros are invalid.
    sb.setCharAt(0, '1');
    return sb.toString();
  }

  public static Span span(String traceId, String spanId, String parentId, String service,
      String name, long startNanos, long durationNanos) {
    return Span.builder().traceId(traceId).spanId(spanId).parentSpanId(parentId)
        .serviceName(service).name(name).kind(SpanKind.SERVER)
        .startTimeUnixNano(startNanos).endTimeUnixNano(startNanos + durationNanos)
        .attributes(Attributes.of("http.route", "/api/orders", "http.status_code", 200L))
        .resourceAttributes(Map.of("service.name", service))
        .build();
  }

  /** A fully populated span: every field and every attribute value kind. */
  public static Span rich(String traceId) {
    return Span.builder().traceId(traceId).spanId(randomHex(16)).parentSpanId(randomHex(16))
        .traceState("vendor=1").name("GET /users/{id}").kind(SpanKind.CLIENT)
        .startTimeUnixNano(1_700_000_000_123_456_789L).endTimeUnixNano(1_700_000_000_223_456_789L)
        .attributes(Attributes.of("s", "x", "l", -5L, "d", 2.5, "b", true,
            "arr", List.of("a", 1L), "kv", Map.of("inner", "v"), "bytes", new byte[] {1, 2}))
        .droppedAttributesCount(3)
        .events(List.of(new SpanEvent(1_700_000_000_150_000_000L, "retry",
            Attributes.of("attempt", 2L), 0)))
        .droppedEventsCount(1)
        .links(List.of(new SpanLink(randomHex(32), randomHex(16), "", Attributes.of("k", "v"), 0)))
        .statusCode(StatusCode.ERROR).statusMessage("boom")
        .serviceName("users").resourceAttributes(Attributes.of("service.name", "users",
            "host.name", "h1"))
        .scopeName("io.opentelemetry.http").scopeVersion("1.0")
        .build();
  }
}
