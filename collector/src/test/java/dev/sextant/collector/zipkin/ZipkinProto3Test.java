package dev.sextant.collector.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.Span.Kind;
import zipkin2.codec.SpanBytesEncoder;

/**
 * The protobuf reader against Zipkin's own encoders: the library's proto3 bytes and its v2 JSON
 * of the same spans must decode to the same OTLP request.
 */
class ZipkinProto3Test {
  private static final List<zipkin2.Span> SPANS = List.of(
      zipkin2.Span.newBuilder().traceId("463ac35c9f6413ad48485a3953bb6124")
          .parentId("86154a4ba6e91385").id("a2fb4a1d1a96d312").kind(Kind.CLIENT)
          .name("post /charge").timestamp(1700000000000000L).duration(2500L)
          .localEndpoint(Endpoint.newBuilder().serviceName("frontend").ip("10.1.2.3").port(8080)
              .build())
          .remoteEndpoint(Endpoint.newBuilder().serviceName("payments").ip("2001:db8::c001")
              .port(8443).build())
          .addAnnotation(1700000000000100L, "ws").putTag("error", "card declined")
          .putTag("http.path", "/charge").debug(true).build(),
      zipkin2.Span.newBuilder().traceId("5af7183fb1d4cf5f").id("352bff9a74ca9ad2")
          .kind(Kind.SERVER).shared(true).name("get /api")
          .timestamp(1556604172355737L).duration(1431L)
          .localEndpoint(Endpoint.newBuilder().serviceName("backend").build()).build(),
      zipkin2.Span.newBuilder().traceId("5af7183fb1d4cf5f").id("1").parentId("352bff9a74ca9ad2")
          .kind(Kind.PRODUCER).name("send").timestamp(1556604172355800L)
          .localEndpoint(Endpoint.newBuilder().serviceName("backend").build())
          .remoteEndpoint(Endpoint.newBuilder().serviceName("kafka").build()).build());

  @Test
  void fromProto3_decodesZipkinsEncodingAsItsJson() throws Exception {
    ZipkinSpans.Decoded proto = ZipkinSpans.fromProto3(
        SpanBytesEncoder.PROTO3.encodeList(SPANS));
    ZipkinSpans.Decoded json = ZipkinSpans.fromJson(SpanBytesEncoder.JSON_V2.encodeList(SPANS));
    assertThat(proto.rejected()).isZero();
    assertThat(proto.request()).isEqualTo(json.request());
    List<Span> stored = ZipkinJsonTest.stored(proto);
    assertThat(stored).hasSize(3);
    Span client = stored.get(0);
    assertThat(client.traceId()).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(client.parentSpanId()).isEqualTo("86154a4ba6e91385");
    assertThat(client.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(client.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(client.statusMessage()).isEqualTo("card declined");
    assertThat(client.attributes()).contains(entry("network.local.address", "10.1.2.3"),
        entry("peer.service", "payments"), entry("server.address", "2001:db8::c001"),
        entry("zipkin.debug", true));
    assertThat(client.events()).extracting(e -> e.name()).containsExactly("ws");
    Span server = stored.get(1);
    assertThat(server.traceId()).isEqualTo("00000000000000005af7183fb1d4cf5f");
    assertThat(server.parentSpanId()).isEqualTo("352bff9a74ca9ad2");
    assertThat(server.spanId()).isEqualTo(ZipkinToOtlp.sharedSpanId("352bff9a74ca9ad2"));
    assertThat(stored.get(2).kind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(stored.get(2).attributes()).containsEntry("peer.service", "kafka");
  }

  @Test
  void ipv6_writesRfc5952Text() {
    assertThat(ZipkinProtoReader.ipv6(new byte[16])).isEqualTo("::");
    byte[] one = new byte[16];
    one[15] = 1;
    assertThat(ZipkinProtoReader.ipv6(one)).isEqualTo("::1");
    byte[] b = {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1};
    assertThat(ZipkinProtoReader.ipv6(b)).isEqualTo("2001:db8:0:1::1");
  }

  @Test
  void fromProto3_refusesNamingTheField() throws Exception {
    byte[] good = SpanBytesEncoder.PROTO3.encodeList(SPANS);
    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> ZipkinSpans.fromProto3(truncated))
        .hasMessageStartingWith("spans[2]: malformed protobuf");
    assertRefused(span(w -> {
      w.writeByteArray(1, new byte[8]);
      w.writeByteArray(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    }), "spans[0].trace_id: 8 bytes, all zero (expected: 8 or 16 bytes, not all zero)");
    assertRefused(span(w -> {
      w.writeByteArray(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeByteArray(3, new byte[] {1, 2, 3, 4});
    }), "spans[0].id: 4 bytes (expected: 8 bytes, not all zero)");
    assertRefused(span(w -> {
      w.writeByteArray(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeUInt64(3, 7);
    }), "spans[0].id: wire type 0 (expected: 2)");
    assertRefused(span(w -> {
      w.writeByteArray(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeByteArray(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeEnum(4, 9);
    }), "spans[0].kind: 9 (expected: 0-4");
    assertRefused(span(w -> {
      w.writeByteArray(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeByteArray(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeByteArray(5, new byte[] {(byte) 0xff, (byte) 0xfe});
    }), "spans[0].name: invalid UTF-8");
    assertRefused(span(w -> {
      w.writeByteArray(1, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeByteArray(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
      w.writeBytes(9, ByteString.copyFrom(new byte[] {0x12, 3, 10, 0, 0}));
    }), "spans[0].remote_endpoint.ipv4: 3 bytes (expected: 4)");
    assertRefused(span(w -> w.writeByteArray(3, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})),
        "spans[0].traceId: missing");
  }

  private interface Writer {
    void write(CodedOutputStream w) throws IOException;
  }

  /** A ListOfSpans of one span whose fields {@code fields} writes. */
  private static byte[] span(Writer fields) throws IOException {
    ByteArrayOutputStream span = new ByteArrayOutputStream();
    CodedOutputStream w = CodedOutputStream.newInstance(span);
    fields.write(w);
    w.flush();
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    CodedOutputStream l = CodedOutputStream.newInstance(list);
    l.writeByteArray(1, span.toByteArray());
    l.flush();
    return list.toByteArray();
  }

  private static void assertRefused(byte[] body, String message) {
    assertThatThrownBy(() -> ZipkinSpans.fromProto3(body))
        .isInstanceOf(ZipkinFormatException.class).hasMessageStartingWith(message);
  }
}
