package dev.sextant.collector.zipkin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.internal.TraceConverter;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Zipkin v2 JSON, as Zipkin's docs and Brave write it, through to storage's span model. */
class ZipkinJsonTest {
  /** The span of Zipkin's quick-start page ("Span" in zipkin2-api.yaml has the same fields). */
  static final String QUICKSTART = """
      [{
        "id": "352bff9a74ca9ad2",
        "traceId": "5af7183fb1d4cf5f",
        "parentId": "6b221d5bc9e6496c",
        "name": "get /api",
        "timestamp": 1556604172355737,
        "duration": 1431,
        "kind": "SERVER",
        "localEndpoint": {"serviceName": "backend", "ipv4": "192.168.99.1", "port": 3306},
        "remoteEndpoint": {"ipv4": "172.19.0.2", "port": 58648},
        "tags": {"http.method": "GET", "http.path": "/api"}
      }]""";

  static List<Span> stored(ZipkinSpans.Decoded d) {
    return new TraceConverter(IngestLimits.defaults()).convert(d.request()).spans();
  }

  static List<Span> json(String body) throws ZipkinFormatException {
    ZipkinSpans.Decoded d = ZipkinSpans.fromJson(body.getBytes(UTF_8));
    assertThat(d.rejected()).as(d.firstError()).isZero();
    return stored(d);
  }

  @Test
  void fromJson_mapsZipkinsQuickstartSpan() throws Exception {
    Span s = json(QUICKSTART).get(0);
    // A 64-bit trace ID is left-padded to storage's 128 bits, as the Jaeger API looks it up.
    assertThat(s.traceId()).isEqualTo("00000000000000005af7183fb1d4cf5f");
    assertThat(s.spanId()).isEqualTo("352bff9a74ca9ad2");
    assertThat(s.parentSpanId()).isEqualTo("6b221d5bc9e6496c");
    assertThat(s.name()).isEqualTo("get /api");
    assertThat(s.kind()).isEqualTo(SpanKind.SERVER);
    assertThat(s.startTimeUnixNano()).isEqualTo(1556604172355737_000L);
    assertThat(s.endTimeUnixNano()).isEqualTo((1556604172355737L + 1431) * 1000);
    assertThat(s.serviceName()).isEqualTo("backend");
    assertThat(s.resourceAttributes()).containsExactly(entry("service.name", "backend"));
    assertThat(s.statusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(s.attributes()).containsOnly(
        entry("http.method", "GET"), entry("http.path", "/api"),
        entry("network.local.address", "192.168.99.1"), entry("network.local.port", 3306L),
        entry("network.peer.address", "172.19.0.2"), entry("network.peer.port", 58648L),
        // The remote endpoint of a server span is its client.
        entry("client.address", "172.19.0.2"), entry("client.port", 58648L));
  }

  @Test
  void fromJson_mapsClientPeerErrorAnnotationsAndDebug() throws Exception {
    Span s = json("""
        [{"traceId": "463ac35c9f6413ad48485a3953bb6124", "id": "a2fb4a1d1a96d312",
          "kind": "CLIENT", "name": "post /charge", "timestamp": 1700000000000000,
          "duration": 2500, "debug": true,
          "localEndpoint": {"serviceName": "frontend"},
          "remoteEndpoint": {"serviceName": "payments", "ipv6": "2001:db8::c001", "port": 8443},
          "annotations": [{"timestamp": 1700000000000100, "value": "ws"},
                          {"timestamp": 1700000000002400, "value": "wr"}],
          "tags": {"error": "card declined", "http.status_code": "402"},
          "futureField": {"ignored": [1, 2, {"deep": true}]}}]""").get(0);
    assertThat(s.traceId()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(s.parentSpanId()).isEmpty();
    assertThat(s.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(s.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.statusMessage()).isEqualTo("card declined");
    assertThat(s.attributes()).containsOnly(entry("http.status_code", "402"),
        entry("peer.service", "payments"), entry("network.peer.address", "2001:db8::c001"),
        entry("network.peer.port", 8443L), entry("server.address", "2001:db8::c001"),
        entry("server.port", 8443L), entry("zipkin.debug", true));
    assertThat(s.events()).extracting(e -> e.name() + "@" + e.timeUnixNano())
        .containsExactly("ws@1700000000000100000", "wr@1700000000002400000");
  }

  /**
   * Brave's shared span: the server joined the client's span ID. Both halves must be stored; the
   * server half gets an ID of its own, the same on every retry, with the client half as parent.
   */
  @Test
  void fromJson_sharedServerHalfGetsItsOwnStableIdUnderTheClientHalf() throws Exception {
    String pair = """
        [{"traceId": "86154a4ba6e91385", "parentId": "86154a4ba6e91385",
          "id": "4d1e00c0db9010db", "kind": "CLIENT", "name": "get", "timestamp": 1000000,
          "duration": 900, "localEndpoint": {"serviceName": "frontend"}},
         {"traceId": "86154a4ba6e91385", "parentId": "86154a4ba6e91385",
          "id": "4d1e00c0db9010db", "kind": "SERVER", "name": "get", "shared": true,
          "timestamp": 1000100, "duration": 700, "localEndpoint": {"serviceName": "backend"}}]""";
    List<Span> spans = json(pair);
    Span client = spans.stream().filter(s -> s.kind() == SpanKind.CLIENT).findFirst().get();
    Span server = spans.stream().filter(s -> s.kind() == SpanKind.SERVER).findFirst().get();
    assertThat(client.spanId()).isEqualTo("4d1e00c0db9010db");
    assertThat(client.parentSpanId()).isEqualTo("86154a4ba6e91385");
    assertThat(server.spanId()).isNotEqualTo(client.spanId()).hasSize(16)
        .isEqualTo(ZipkinToOtlp.sharedSpanId("4d1e00c0db9010db"));
    assertThat(server.parentSpanId()).isEqualTo(client.spanId());
    assertThat(server.serviceName()).isEqualTo("backend");
    assertThat(server.attributes()).containsEntry("zipkin.shared", true);
    // Deterministic: a retried request stores the same two spans, not a third.
    assertThat(json(pair)).extracting(Span::spanId)
        .containsExactlyInAnyOrderElementsOf(spans.stream().map(Span::spanId).toList());
  }

  @Test
  void fromJson_acceptsShortIdsNullsAndScalarTags() throws Exception {
    Span s = json("""
        [{"traceId": "1f", "id": "2a", "parentId": "0000000000000000", "name": null,
          "kind": null, "timestamp": "1700000000000000", "duration": 5.0,
          "localEndpoint": null, "remoteEndpoint": {"port": null}, "annotations": null,
          "tags": {"retries": 3, "cached": false, "none": null}}]""").get(0);
    assertThat(s.traceId()).isEqualTo("0000000000000000000000000000001f");
    assertThat(s.spanId()).isEqualTo("000000000000002a");
    assertThat(s.parentSpanId()).isEmpty();
    assertThat(s.kind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(s.serviceName()).isEqualTo("unknown_service");
    assertThat(s.endTimeUnixNano() - s.startTimeUnixNano()).isEqualTo(5000);
    assertThat(s.attributes()).containsOnly(entry("retries", "3"), entry("cached", "false"));
  }

  @Test
  void fromJson_groupsSpansByServiceAndAcceptsAnEmptyList() throws Exception {
    assertThat(ZipkinSpans.fromJson("[]".getBytes(UTF_8)).request().getResourceSpansCount())
        .isZero();
    ZipkinSpans.Decoded d = ZipkinSpans.fromJson("""
        [{"traceId": "1", "id": "1", "timestamp": 1, "localEndpoint": {"serviceName": "a"}},
         {"traceId": "1", "id": "2", "timestamp": 1, "localEndpoint": {"serviceName": "b"}},
         {"traceId": "1", "id": "3", "timestamp": 1, "localEndpoint": {"serviceName": "a"}}]"""
        .getBytes(UTF_8));
    assertThat(d.request().getResourceSpansCount()).isEqualTo(2);
    assertThat(stored(d)).extracting(s -> s.serviceName() + ":" + s.spanId().substring(15))
        .containsExactly("a:1", "a:3", "b:2");
  }

  @Test
  void fromJson_dropsOnlyTheSpanWithoutAnyTime() throws Exception {
    ZipkinSpans.Decoded d = ZipkinSpans.fromJson("""
        [{"traceId": "1", "id": "1", "name": "late tags only"},
         {"traceId": "1", "id": "2", "annotations": [{"timestamp": 7000, "value": "cs"}]},
         {"traceId": "1", "id": "3", "timestamp": 9000}]""".getBytes(UTF_8));
    assertThat(d.rejected()).isEqualTo(1);
    assertThat(d.firstError()).startsWith("spans[0].timestamp: missing");
    // Late data without a timestamp starts at its earliest annotation.
    assertThat(stored(d)).extracting(Span::startTimeUnixNano).containsExactly(7_000_000L,
        9_000_000L);
  }

  @Test
  void fromJson_otelStatusTagsBecomeTheStatus() throws Exception {
    Span s = json("""
        [{"traceId": "1", "id": "1", "timestamp": 1, "tags": {"otel.status_code": "ERROR",
          "otel.status_description": "boom", "error": ""}}]""").get(0);
    assertThat(s.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.statusMessage()).isEqualTo("boom");
    assertThat(s.attributes()).isEmpty();
  }

  @Test
  void fromJson_boundsTagsPerSpan() throws Exception {
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < ZipkinSpan.MAX_TAGS + 10; i++) {
      tags.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
    }
    ZipkinSpans.Decoded d = ZipkinSpans.fromJson(("[{\"traceId\":\"1\",\"id\":\"1\","
        + "\"timestamp\":1,\"tags\":{" + tags + "}}]").getBytes(UTF_8));
    assertThat(d.request().getResourceSpans(0).getScopeSpans(0).getSpans(0)
        .getDroppedAttributesCount()).isEqualTo(10);
    // The ingest limits cut further (128 by default) and count those too.
    assertThat(stored(d).get(0).droppedAttributesCount())
        .isEqualTo(ZipkinSpan.MAX_TAGS + 10 - 128);
  }
}
