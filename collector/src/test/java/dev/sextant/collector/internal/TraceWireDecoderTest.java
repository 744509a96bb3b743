package dev.sextant.collector.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import dev.sextant.collector.limits.IngestLimits;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TraceWireDecoder} against the path it replaces (strict parse or per-item salvage, then
 * {@link TraceConverter}) over a generated corpus: random requests built with the generated
 * classes and corrupted copies of them. Whenever the decoder answers, its answer must be the old
 * path's exactly; when it declines, {@link TraceHandler#parse} takes the old path itself.
 */
class TraceWireDecoderTest {
  /** Replaced in the encoded bytes by invalid UTF-8 of the same length. */
  private static final String MARK = "~Qz~";
  private static final byte[][] BAD_UTF8 = {
      {(byte) 0xff, (byte) 0xfe, (byte) 0xfd, (byte) 0xfc},
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80, 'x'}, // an encoded surrogate
      {(byte) 0xc0, (byte) 0x80, 'a', 'b'}, // overlong NUL
      {'a', 'b', 'c', (byte) 0xe2}, // cut sequence
  };

  private static final IngestLimits SMALL = IngestLimits.builder().maxAttributes(3)
      .maxAttributeValueLength(12).maxAnyValueDepth(2).maxEventsPerSpan(2).maxLinksPerSpan(1)
      .maxAttributeKeyLength(10).maxNameLength(9).build();

  private static final class Gen {
    final SplittableRandom rnd;
    final boolean clean;
    final boolean marks;

    /** {@code clean}: well-formed, inside the default limits, no unusual shapes. */
    Gen(long seed, boolean clean, boolean marks) {
      this.rnd = new SplittableRandom(seed);
      this.clean = clean;
      this.marks = marks;
    }

    boolean p(double probability) {
      return rnd.nextDouble() < probability;
    }

    String str(int maxLen) {
      if (marks && p(0.05)) {
        return "m" + MARK;
      }
      int len = p(0.1) ? 0 : rnd.nextInt(maxLen + 1);
      StringBuilder sb = new StringBuilder(len);
      for (int i = 0; i < len; i++) {
        int kind = rnd.nextInt(20);
        if (kind == 0) {
          sb.append("é");
        } else if (kind == 1) {
          sb.appendCodePoint(0x1F600); // a surrogate pair
        } else if (kind == 2) {
          sb.append('"');
        } else {
          sb.append((char) ('a' + rnd.nextInt(26)));
        }
      }
      return sb.toString();
    }

    String name() {
      return !clean && p(0.1) ? str(2_000) : str(20);
    }

    ByteString id(int len) {
      if (!clean && p(0.03)) {
        int bad = rnd.nextInt(4);
        return bad == 0 ? ByteString.EMPTY : bad == 1 ? ByteString.copyFrom(new byte[len])
            : bytes(len + (bad == 2 ? 1 : -1));
      }
      return bytes(len);
    }

    ByteString bytes(int len) {
      byte[] b = new byte[len];
      for (int i = 0; i < len; i++) {
        b[i] = (byte) rnd.nextInt(256);
      }
      if (len > 0) {
        b[0] |= 1;
      }
      return ByteString.copyFrom(b);
    }

    AnyValue value(int depth) {
      AnyValue.Builder v = AnyValue.newBuilder();
      switch (rnd.nextInt(depth > 4 ? 6 : 9)) {
        case 0, 1 -> v.setStringValue(!clean && p(0.1) ? str(6_000) : str(16));
        case 2 -> v.setBoolValue(p(0.5));
        case 3 -> v.setIntValue(rnd.nextLong());
        case 4 -> v.setDoubleValue(p(0.1) ? Double.NaN : rnd.nextDouble() * 1e6);
        case 5 -> v.setBytesValue(bytes(!clean && p(0.1) ? 5_000 : rnd.nextInt(10)));
        case 6 -> {
          ArrayValue.Builder a = ArrayValue.newBuilder();
          for (int i = rnd.nextInt(4); i > 0; i--) {
            a.addValues(value(depth + 1));
          }
          v.setArrayValue(a);
        }
        case 7 -> {
          KeyValueList.Builder l = KeyValueList.newBuilder();
          for (int i = rnd.nextInt(4); i > 0; i--) {
            l.addValues(KeyValue.newBuilder().setKey(str(8)).setValue(value(depth + 1)));
          }
          v.setKvlistValue(l);
        }
        default -> { } // no value
      }
      unknown(v);
      return v.build();
    }

    List<KeyValue> attrs(int max) {
      List<KeyValue> l = new ArrayList<>();
      for (int i = rnd.nextInt(max + 1); i > 0; i--) {
        KeyValue.Builder kv = KeyValue.newBuilder()
            .setKey(p(0.2) ? "k" + rnd.nextInt(3) : !clean && p(0.05) ? str(400) : str(12));
        if (!p(0.05)) {
          kv.setValue(value(1));
        }
        unknown(kv);
        l.add(kv.build());
      }
      return l;
    }

    /** Unknown fields; unless clean, groups and known numbers with another wire type too. */
    <B extends Message.Builder> void unknown(B b) {
      if (!p(0.05)) {
        return;
      }
      UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
      int kind = rnd.nextInt(clean ? 4 : 6);
      switch (kind) {
        case 0 -> f.addVarint(rnd.nextLong());
        case 1 -> f.addFixed32(rnd.nextInt());
        case 2 -> f.addFixed64(rnd.nextLong());
        case 3 -> f.addLengthDelimited(bytes(rnd.nextInt(5)));
        case 4 -> f.addGroup(UnknownFieldSet.newBuilder().addField(1,
            UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build());
        default -> f.addLengthDelimited(ByteString.copyFromUtf8("x"));
      }
      int number = kind == 5 ? 1 + rnd.nextInt(8) : 100 + rnd.nextInt(50);
      b.setUnknownFields(UnknownFieldSet.newBuilder().addField(number, f.build()).build());
    }

    Span span() {
      Span.Builder s = Span.newBuilder()
          .setTraceId(id(16)).setSpanId(id(8))
          .setName(name())
          .setKindValue(rnd.nextInt(7))
          .setStartTimeUnixNano(1_000_000 + rnd.nextInt(1000));
      if (p(0.5)) {
        s.setParentSpanId(id(8));
      }
      if (!p(0.1)) {
        s.setEndTimeUnixNano(!clean && p(0.05) ? 5 : 2_000_000 + rnd.nextInt(1000));
      }
      if (p(0.2)) {
        s.setTraceState(!clean && p(0.2) ? "a=" + str(600) : "k=" + str(10));
      }
      if (p(0.3)) {
        s.setFlags(rnd.nextInt());
      }
      s.addAllAttributes(attrs(clean ? 6 : 8));
      s.setDroppedAttributesCount(p(0.1) ? rnd.nextInt(5) : 0);
      for (int i = rnd.nextInt(4); i > 0; i--) {
        Span.Event.Builder e = Span.Event.newBuilder().setTimeUnixNano(rnd.nextLong())
            .setName(name()).addAllAttributes(attrs(3))
            .setDroppedAttributesCount(rnd.nextInt(2));
        unknown(e);
        s.addEvents(e);
      }
      s.setDroppedEventsCount(rnd.nextInt(2));
      for (int i = rnd.nextInt(3); i > 0; i--) {
        Span.Link.Builder l = Span.Link.newBuilder().setTraceId(bytes(16)).setSpanId(bytes(8))
            .addAllAttributes(attrs(2)).setDroppedAttributesCount(rnd.nextInt(2));
        if (p(0.3)) {
          l.setTraceState(!clean && p(0.2) ? str(700) : str(10));
        }
        if (p(0.3)) {
          l.setFlags(rnd.nextInt());
        }
        unknown(l);
        s.addLinks(l);
      }
      s.setDroppedLinksCount(rnd.nextInt(2));
      if (p(0.7)) {
        Status.Builder st = Status.newBuilder().setCodeValue(rnd.nextInt(4));
        if (p(0.5)) {
          st.setMessage(!clean && p(0.1) ? str(6_000) : str(20));
        }
        unknown(st);
        s.setStatus(st);
      }
      unknown(s);
      return s.build();
    }

    ExportTraceServiceRequest request() {
      ExportTraceServiceRequest.Builder r = ExportTraceServiceRequest.newBuilder();
      for (int i = rnd.nextInt(4); i > 0; i--) {
        ResourceSpans.Builder rs = ResourceSpans.newBuilder();
        if (p(0.9)) {
          Resource.Builder res = Resource.newBuilder().addAllAttributes(attrs(4));
          int service = rnd.nextInt(5);
          KeyValue.Builder sn = KeyValue.newBuilder().setKey("service.name");
          switch (service) {
            case 0 -> { }
            case 1 -> res.addAttributes(sn.setValue(AnyValue.newBuilder().setStringValue("")));
            case 2 -> res.addAttributes(sn.setValue(AnyValue.newBuilder().setIntValue(3)));
            default -> res.addAttributes(rnd.nextInt(res.getAttributesCount() + 1),
                sn.setValue(AnyValue.newBuilder().setStringValue(name())));
          }
          if (p(0.2)) {
            res.addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("second")));
          }
          unknown(res);
          rs.setResource(res);
        }
        if (p(0.2)) {
          rs.setSchemaUrl(str(10));
        }
        for (int j = rnd.nextInt(3); j > 0; j--) {
          ScopeSpans.Builder ss = ScopeSpans.newBuilder();
          if (p(0.8)) {
            InstrumentationScope.Builder scope = InstrumentationScope.newBuilder()
                .setName(name()).setVersion(str(5)).addAllAttributes(attrs(2));
            unknown(scope);
            ss.setScope(scope);
          }
          if (p(0.2)) {
            ss.setSchemaUrl(str(10));
          }
          for (int k = rnd.nextInt(6); k > 0; k--) {
            ss.addSpans(span());
          }
          unknown(ss);
          rs.addScopeSpans(ss);
        }
        unknown(rs);
        r.addResourceSpans(rs);
      }
      return r.build();
    }
  }

  @Test
  void decode_cleanRequests_decodedDirectlyAndSameAsConverter() throws Exception {
    int decoded = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] body = new Gen(i, true, false).request().toByteArray();
      assertThat(new TraceWireDecoder(IngestLimits.defaults()).decode(body))
          .as("request %d takes the direct path", i).isNotNull();
      decoded += compare(IngestLimits.defaults(), body, "clean " + i) ? 1 : 0;
    }
    assertThat(decoded).isEqualTo(2_000);
  }

  @Test
  void decode_messyAndCorruptedRequests_sameOutcomeAsParserAndConverter() throws Exception {
    int decoded = 0;
    int cases = 0;
    for (int i = 0; i < 1_500; i++) {
      Gen g = new Gen(1_000_000L + i, false, true);
      byte[] body = g.request().toByteArray();
      List<byte[]> variants = new ArrayList<>();
      variants.add(body);
      byte[] marked = body.clone();
      replaceMarks(marked, BAD_UTF8[i % BAD_UTF8.length], g.rnd);
      variants.add(marked);
      if (body.length > 0) {
        variants.add(Arrays.copyOf(body, g.rnd.nextInt(body.length)));
        byte[] flipped = body.clone();
        flipped[g.rnd.nextInt(body.length)] ^= (byte) (1 << g.rnd.nextInt(8));
        variants.add(flipped);
      }
      for (byte[] v : variants) {
        for (IngestLimits limits : List.of(IngestLimits.defaults(), SMALL)) {
          cases++;
          decoded += compare(limits, v, "messy " + i) ? 1 : 0;
        }
      }
    }
    // Most variants are corrupt or over the small limits (the old path's); a good share of the
    // rest must take the direct path, or this compares little (about 1 in 5 does).
    assertThat(decoded).isGreaterThan(cases / 10);
  }

  @Test
  void decode_nothingAndEmptyGroups_sameAsConverter() throws Exception {
    ExportTraceServiceRequest empty = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.getDefaultInstance())
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.getDefaultInstance()))
        .build();
    assertThat(compare(IngestLimits.defaults(), new byte[0], "empty")).isTrue();
    assertThat(compare(IngestLimits.defaults(), empty.toByteArray(), "groups")).isTrue();
  }

  @Test
  void decode_deepValues_sameAsConverter() throws Exception {
    AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int depth = 0; depth < 60; depth++) {
      v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
      byte[] body = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans
          .newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(new Gen(depth, true, false)
              .span().toBuilder().addAttributes(KeyValue.newBuilder().setKey("deep")
                  .setValue(v))))).build().toByteArray();
      compare(IngestLimits.defaults(), body, "depth " + depth);
    }
  }

  /** Replaces each occurrence of {@link #MARK} by {@code bad} with probability 1/2 (one at least). */
  private static void replaceMarks(byte[] body, byte[] bad, SplittableRandom rnd) {
    byte[] mark = MARK.getBytes(UTF_8);
    boolean any = false;
    for (int i = 0; i + mark.length <= body.length; i++) {
      if (Arrays.equals(body, i, i + mark.length, mark, 0, mark.length)
          && (!any || rnd.nextBoolean())) {
        System.arraycopy(bad, 0, body, i, bad.length);
        any = true;
      }
    }
  }

  /**
   * Asserts the handler's outcome for {@code body} is the old path's; true when the decoder took
   * the direct path.
   */
  private static boolean compare(IngestLimits limits, byte[] body, String what)
      throws Exception {
    String old = oldOutcome(limits, body);
    TraceConversion direct = new TraceWireDecoder(limits).decode(body);
    if (direct != null) {
      assertThat(describe(direct, 0, null)).as(what).isEqualTo(old);
    }
    TraceHandler handler = new TraceHandler(spans -> null, limits, (t, s) -> { });
    String viaHandler;
    try {
      LenientOtlpParser.Parsed<ExportTraceServiceRequest> p = handler.parse(body);
      TraceConversion c = p.decoded() instanceof TraceConversion d ? d
          : new TraceConverter(limits).convert(p.request());
      assertThat(handler.parsedItemCount(p) + p.rejected())
          .isEqualTo(c.spans().size() + c.rejected() + p.rejected());
      viaHandler = describe(c, p.rejected(), p.errorMessage());
    } catch (InvalidProtocolBufferException e) {
      viaHandler = "malformed: " + e.getMessage();
    }
    assertThat(viaHandler).as(what).isEqualTo(old);
    return direct != null;
  }

  private static String oldOutcome(IngestLimits limits, byte[] body) {
    LenientOtlpParser<ExportTraceServiceRequest> parser = new LenientOtlpParser<>(
        ExportTraceServiceRequest.parser(), Span.parser(), "span");
    try {
      LenientOtlpParser.Parsed<ExportTraceServiceRequest> p = parser.parse(body);
      return describe(new TraceConverter(limits).convert(p.request()), p.rejected(),
          p.errorMessage());
    } catch (InvalidProtocolBufferException e) {
      return "malformed: " + e.getMessage();
    }
  }

  /** What reaches storage and the client, as comparable text (byte arrays as hex). */
  private static String describe(TraceConversion c, long preRejected, String preError) {
    return "spans=" + normalize(c.spans()) + "\nrejected=" + (c.rejected() + preRejected)
        + "\nerror=" + (preError != null ? preError : c.errorMessage())
        + "\nwarning=" + c.warning();
  }

  private static Object normalize(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof byte[] b) {
      return "bytes:" + HexFormat.of().formatHex(b);
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> n = new LinkedHashMap<>();
      m.forEach((k, v) -> n.put(k, normalize(v)));
      return n;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(TraceWireDecoderTest::normalize).toList();
    }
    if (o instanceof Record r) {
      List<String> fields = new ArrayList<>();
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        try {
          fields.add(rc.getName() + "=" + normalize(rc.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return r.getClass().getSimpleName() + fields;
    }
    return o.getClass().getSimpleName() + ":" + o;
  }
}
