package dev.sextant.collector.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the bytes of an OTLP {@code ExportTraceServiceRequest} straight into the store's
 * {@link Span}s with a {@link CodedInputStream}: no generated message classes, so one object
 * graph per span instead of two.
 *
 * <p>The contract is equivalence: {@link #decode} returns exactly what a strict parse followed by
 * {@link TraceConverter#convert} returns (same spans, attributes, validation, rejections and
 * messages), or {@code null} when the request must take that path instead. It returns null for
 * anything the strict parse would refuse (malformed wire format, invalid UTF-8: the lenient
 * parser's per-item salvage then decides what is kept), for anything cut to the limits (the
 * converter's warning depends on the order of its cuts) and for rare shapes whose protobuf
 * semantics are not worth copying (a singular message field sent twice, which protobuf merges;
 * a resource or scope after its items; groups; interned strings; deep nesting). Well-formed
 * requests within the limits, what exporters send, never return null.
 */
public final class TraceWireDecoder {
  /** Deeper values go the generated classes' way, well inside protobuf's recursion limit. */
  static final int MAX_VALUE_DEPTH = 20;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int FIXED32 = WireFormat.WIRETYPE_FIXED32;
  private static final byte[] NO_BYTES = new byte[0];
  private static final Object TOO_DEEP = new Object();
  private static final int KEY_CACHE = 64;

  private final IngestLimits limits;

  public TraceWireDecoder(IngestLimits limits) {
    this.limits = limits;
  }

  /** The converted request, or null when it must go through the generated classes. */
  public @Nullable TraceConversion decode(byte[] body) {
    try {
      return new Run(limits, body).request(CodedInputStream.newInstance(body));
    } catch (IOException | Bail e) {
      // Over a byte array, every IOException is an InvalidProtocolBufferException.
      return null;
    }
  }

  /** "Take the generated classes' path": thrown deep down, caught in {@link #decode}. */
  private static final class Bail extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Bail() {
      super(null, null, false, false);
    }
  }

  private static final Bail BAIL = new Bail();

  /** One attribute list as {@link OtlpAttributes#toMap} builds it. */
  private static final class Attrs {
    @Nullable LinkedHashMap<String, Object> map;
    int dropped;

    Map<String, Object> map() {
      return map == null ? Collections.emptyMap() : map;
    }
  }

  /** The state of decoding one request. */
  private static final class Run {
    private final IngestLimits limits;
    private final List<Span> out = new ArrayList<>();
    private long rejected;
    private @Nullable String firstError;
    // Out-parameters of the nested readers, read right after each call.
    private String kvKey = "";
    private @Nullable String topString;
    private String scopeName = "";
    private String scopeVersion = "";
    private int statusCode;
    private String statusMessage = "";
    private @Nullable String rawService;

    private final byte[] body;
    /** Attribute keys seen in this request, by a hash of their bytes: spans repeat their keys. */
    private final byte[][] keyBytes = new byte[KEY_CACHE][];
    private final String[] keyStrings = new String[KEY_CACHE];

    Run(IngestLimits limits, byte[] body) {
      this.limits = limits;
      this.body = body;
    }

    /**
     * An attribute key: the same String as its previous occurrence in the request when there is
     * one, without decoding it again. The stream reads {@link #body} from offset 0.
     */
    private String key(CodedInputStream in) throws IOException {
      int len = in.readRawVarint32();
      if (len < 0 || len > in.getBytesUntilLimit()) {
        throw BAIL; // malformed: the old path says how
      }
      int off = in.getTotalBytesRead();
      int h = 0;
      for (int i = off; i < off + len; i++) {
        h = 31 * h + body[i];
      }
      h &= KEY_CACHE - 1;
      byte[] cached = keyBytes[h];
      if (cached != null && Arrays.equals(cached, 0, cached.length, body, off, off + len)) {
        in.skipRawBytes(len);
        return keyStrings[h];
      }
      byte[] raw = in.readRawBytes(len);
      String key = new String(raw, UTF_8);
      // Valid UTF-8, and only that, survives the round trip (the JDK replaces malformed input).
      if (!Arrays.equals(key.getBytes(UTF_8), raw)) {
        throw BAIL;
      }
      keyBytes[h] = raw;
      keyStrings[h] = key;
      return key;
    }

    TraceConversion request(CodedInputStream in) throws IOException {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          resourceSpans(in);
          end(in, old);
        } else {
          skip(in, tag);
        }
      }
      return new TraceConversion(out, rejected, firstError, null);
    }

    private void resourceSpans(CodedInputStream in) throws IOException {
      boolean seenResource = false;
      String service = null;
      Map<String, Object> resource = Collections.emptyMap();
      rawService = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            if (seenResource || service != null) {
              throw BAIL; // merged by protobuf, or needed before the spans
            }
            seenResource = true;
            int old = in.pushLimit(in.readRawVarint32());
            resource = resource(in);
            end(in, old);
          }
          case 2 -> {
            expect(tag, LEN);
            if (service == null) {
              service = service();
            }
            int old = in.pushLimit(in.readRawVarint32());
            scopeSpans(in, service, resource);
            end(in, old);
          }
          case 3 -> {
            expect(tag, LEN);
            in.readStringRequireUtf8(); // schema_url: unused, but must be UTF-8
          }
          default -> skip(in, tag);
        }
      }
      if (service == null) {
        service(); // the converter cuts it even without spans
      }
    }

    private String service() {
      String s = rawService;
      if (s == null || s.isEmpty()) {
        s = "unknown_service";
      }
      if (s.length() > limits.maxNameLength()) {
        throw BAIL;
      }
      return s;
    }

    private Map<String, Object> resource(CodedInputStream in) throws IOException {
      Attrs attrs = new Attrs();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            attribute(in, attrs);
            if (rawService == null && topString != null && kvKey.equals("service.name")) {
              rawService = topString;
            }
          }
          case 2 -> {
            expect(tag, VARINT);
            in.readUInt32();
          }
          case 3 -> throw BAIL; // entity_refs: rare, left to the generated classes
          default -> skip(in, tag);
        }
      }
      return attrs.map();
    }

    private void scopeSpans(CodedInputStream in, String service, Map<String, Object> resource)
        throws IOException {
      boolean seenScope = false;
      boolean seenSpans = false;
      scopeName = "";
      scopeVersion = "";
      String name = "";
      String version = "";
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            if (seenScope || seenSpans) {
              throw BAIL;
            }
            seenScope = true;
            int old = in.pushLimit(in.readRawVarint32());
            scope(in);
            end(in, old);
          }
          case 2 -> {
            expect(tag, LEN);
            if (!seenSpans) {
              seenSpans = true;
              name = checkName(scopeName);
              version = checkName(scopeVersion);
            }
            int old = in.pushLimit(in.readRawVarint32());
            span(in, service, resource, name, version);
            end(in, old);
          }
          case 3 -> {
            expect(tag, LEN);
            in.readStringRequireUtf8();
          }
          default -> skip(in, tag);
        }
      }
      checkName(scopeName);
      checkName(scopeVersion);
    }

    private String checkName(String s) {
      if (s.length() > limits.maxNameLength()) {
        throw BAIL;
      }
      return s;
    }

    private void scope(CodedInputStream in) throws IOException {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            scopeName = in.readStringRequireUtf8();
          }
          case 2 -> {
            expect(tag, LEN);
            scopeVersion = in.readStringRequireUtf8();
          }
          case 3 -> {
            // Scope attributes are not stored, but must parse.
            expect(tag, LEN);
            attribute(in, null);
          }
          case 4 -> {
            expect(tag, VARINT);
            in.readUInt32();
          }
          default -> skip(in, tag);
        }
      }
    }

    private void span(CodedInputStream in, String service, Map<String, Object> resource,
        String scopeName, String scopeVersion) throws IOException {
      byte[] traceId = NO_BYTES;
      byte[] spanId = NO_BYTES;
      byte[] parent = NO_BYTES;
      String traceState = "";
      String name = "";
      int kind = 0;
      long start = 0;
      long end = 0;
      Attrs attrs = new Attrs();
      int droppedAttrs = 0;
      List<SpanEvent> events = null;
      int eventCount = 0;
      int droppedEvents = 0;
      List<SpanLink> links = null;
      int linkCount = 0;
      int droppedLinks = 0;
      boolean seenStatus = false;
      statusCode = 0;
      statusMessage = "";
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            traceId = in.readByteArray();
          }
          case 2 -> {
            expect(tag, LEN);
            spanId = in.readByteArray();
          }
          case 3 -> {
            expect(tag, LEN);
            traceState = in.readStringRequireUtf8();
          }
          case 4 -> {
            expect(tag, LEN);
            parent = in.readByteArray();
          }
          case 5 -> {
            expect(tag, LEN);
            name = in.readStringRequireUtf8();
          }
          case 6 -> {
            expect(tag, VARINT);
            kind = in.readEnum();
          }
          case 7 -> {
            expect(tag, FIXED64);
            start = in.readFixed64();
          }
          case 8 -> {
            expect(tag, FIXED64);
            end = in.readFixed64();
          }
          case 9 -> {
            expect(tag, LEN);
            attribute(in, attrs);
          }
          case 10 -> {
            expect(tag, VARINT);
            droppedAttrs = in.readUInt32();
          }
          case 11 -> {
            expect(tag, LEN);
            int old = in.pushLimit(in.readRawVarint32());
            boolean keep = eventCount < limits.maxEventsPerSpan();
            SpanEvent e = event(in, keep);
            end(in, old);
            if (keep) {
              if (events == null) {
                events = new ArrayList<>();
              }
              events.add(e);
            }
            eventCount++;
          }
          case 12 -> {
            expect(tag, VARINT);
            droppedEvents = in.readUInt32();
          }
          case 13 -> {
            expect(tag, LEN);
            int old = in.pushLimit(in.readRawVarint32());
            boolean keep = linkCount < limits.maxLinksPerSpan();
            SpanLink l = link(in, keep);
            end(in, old);
            if (keep) {
              if (links == null) {
                links = new ArrayList<>();
              }
              links.add(l);
            }
            linkCount++;
          }
          case 14 -> {
            expect(tag, VARINT);
            droppedLinks = in.readUInt32();
          }
          case 15 -> {
            expect(tag, LEN);
            if (seenStatus) {
              throw BAIL;
            }
            seenStatus = true;
            int old = in.pushLimit(in.readRawVarint32());
            status(in);
            end(in, old);
          }
          case 16 -> {
            expect(tag, FIXED32);
            in.readFixed32();
          }
          default -> skip(in, tag);
        }
      }
      String error = validate(traceId, spanId, parent, start, end, name);
      if (error != null) {
        rejected++;
        if (firstError == null) {
          firstError = error;
        }
        return;
      }
      if (traceState.length() > TraceConverter.MAX_TRACE_STATE_LENGTH
          || name.length() > limits.maxNameLength()
          || statusMessage.length() > limits.maxAttributeValueLength()) {
        throw BAIL;
      }
      int keptEvents = Math.min(eventCount, limits.maxEventsPerSpan());
      int keptLinks = Math.min(linkCount, limits.maxLinksPerSpan());
      out.add(Span.builder()
          .traceId(Ids.toHex(traceId))
          .spanId(Ids.toHex(spanId))
          .parentSpanId(parent.length == 0 ? "" : Ids.toHex(parent))
          .traceState(traceState)
          .name(name)
          .kind(SpanKind.fromOtlp(kind))
          .startTimeUnixNano(start)
          .endTimeUnixNano(end == 0 ? start : end)
          .attributes(attrs.map())
          .droppedAttributesCount(droppedAttrs + attrs.dropped)
          .events(events == null ? List.of() : events)
          .droppedEventsCount(droppedEvents + eventCount - keptEvents)
          .links(links == null ? List.of() : links)
          .droppedLinksCount(droppedLinks + linkCount - keptLinks)
          .statusCode(StatusCode.fromOtlp(statusCode))
          .statusMessage(statusMessage)
          .serviceName(service)
          .resourceAttributes(resource)
          .scopeName(scopeName)
          .scopeVersion(scopeVersion)
          .build());
    }

    /** {@link TraceConverter}'s checks and messages. */
    private static @Nullable String validate(byte[] traceId, byte[] spanId, byte[] parent,
        long start, long end, String name) {
      if (traceId.length != 16 || Ids.isAllZero(traceId)) {
        return "span " + describe(name) + ": trace_id must be 16 bytes and not all zero (got "
            + traceId.length + " bytes)";
      }
      if (spanId.length != 8 || Ids.isAllZero(spanId)) {
        return "span " + describe(name) + ": span_id must be 8 bytes and not all zero (got "
            + spanId.length + " bytes)";
      }
      if (parent.length != 0 && parent.length != 8) {
        return "span " + describe(name) + ": parent_span_id must be empty or 8 bytes (got "
            + parent.length + " bytes)";
      }
      if (end != 0 && end < start) {
        return "span " + describe(name) + ": end_time_unix_nano before start_time_unix_nano";
      }
      return null;
    }

    private static String describe(String name) {
      return '"' + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + '"';
    }

    private SpanEvent event(CodedInputStream in, boolean keep) throws IOException {
      long time = 0;
      String name = "";
      Attrs attrs = keep ? new Attrs() : null;
      int dropped = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, FIXED64);
            time = in.readFixed64();
          }
          case 2 -> {
            expect(tag, LEN);
            name = in.readStringRequireUtf8();
          }
          case 3 -> {
            expect(tag, LEN);
            attribute(in, attrs);
          }
          case 4 -> {
            expect(tag, VARINT);
            dropped = in.readUInt32();
          }
          default -> skip(in, tag);
        }
      }
      if (attrs == null) {
        return null;
      }
      return new SpanEvent(time, checkName(name), attrs.map(), dropped + attrs.dropped);
    }

    private SpanLink link(CodedInputStream in, boolean keep) throws IOException {
      byte[] traceId = NO_BYTES;
      byte[] spanId = NO_BYTES;
      String traceState = "";
      Attrs attrs = keep ? new Attrs() : null;
      int dropped = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            traceId = in.readByteArray();
          }
          case 2 -> {
            expect(tag, LEN);
            spanId = in.readByteArray();
          }
          case 3 -> {
            expect(tag, LEN);
            traceState = in.readStringRequireUtf8();
          }
          case 4 -> {
            expect(tag, LEN);
            attribute(in, attrs);
          }
          case 5 -> {
            expect(tag, VARINT);
            dropped = in.readUInt32();
          }
          case 6 -> {
            expect(tag, FIXED32);
            in.readFixed32();
          }
          default -> skip(in, tag);
        }
      }
      if (attrs == null) {
        return null;
      }
      if (traceState.length() > TraceConverter.MAX_TRACE_STATE_LENGTH) {
        throw BAIL;
      }
      return new SpanLink(Ids.toHex(traceId), Ids.toHex(spanId), traceState, attrs.map(),
          dropped + attrs.dropped);
    }

    private void status(CodedInputStream in) throws IOException {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 2 -> {
            expect(tag, LEN);
            statusMessage = in.readStringRequireUtf8();
          }
          case 3 -> {
            expect(tag, VARINT);
            statusCode = in.readEnum();
          }
          default -> skip(in, tag);
        }
      }
    }

    /**
     * Reads one KeyValue field (the stream is at its length) into {@code attrs}, or past it when
     * {@code attrs} is null (an event or link over its limit); its key is left in {@link #kvKey}
     * and, if a string, its raw value in {@link #topString}.
     */
    private void attribute(CodedInputStream in, @Nullable Attrs attrs) throws IOException {
      int old = in.pushLimit(in.readRawVarint32());
      Object v = keyValue(in, 1);
      end(in, old);
      if (attrs != null) {
        add(attrs, kvKey, v);
      }
    }

    /** {@link OtlpAttributes#toMap}'s rules for one attribute. */
    private void add(Attrs attrs, String key, @Nullable Object value) {
      if (key.length() > limits.maxAttributeKeyLength()) {
        throw BAIL; // the converter notes it: a warning
      }
      if (attrs.map == null) {
        if (limits.maxAttributes() <= 0) {
          attrs.dropped++;
          return;
        }
        attrs.map = new LinkedHashMap<>();
      } else if (attrs.map.size() >= limits.maxAttributes() && !attrs.map.containsKey(key)) {
        attrs.dropped++;
        return;
      }
      if (value == TOO_DEEP) {
        attrs.dropped++;
        return;
      }
      attrs.map.put(key, value);
    }

    /**
     * Reads a KeyValue: returns its value as {@link OtlpAttributes} converts it, with its key in
     * {@link #kvKey} and, at depth 1, its raw string value (if a string) in {@link #topString}.
     */
    private @Nullable Object keyValue(CodedInputStream in, int depth) throws IOException {
      String key = "";
      Object value = null;
      boolean seenValue = false;
      if (depth == 1) {
        topString = null;
      }
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> {
            expect(tag, LEN);
            key = key(in);
          }
          case 2 -> {
            expect(tag, LEN);
            if (seenValue) {
              throw BAIL;
            }
            seenValue = true;
            int old = in.pushLimit(in.readRawVarint32());
            value = anyValue(in, depth);
            end(in, old);
          }
          case 3 -> {
            expect(tag, VARINT);
            in.readInt32(); // key_strindex: unused
          }
          default -> skip(in, tag);
        }
      }
      kvKey = key;
      return value;
    }

    private @Nullable Object anyValue(CodedInputStream in, int depth) throws IOException {
      if (depth > MAX_VALUE_DEPTH) {
        throw BAIL;
      }
      Object v = null;
      int values = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        if (field >= 1 && field <= 8) {
          values++;
        }
        switch (field) {
          case 1 -> {
            expect(tag, LEN);
            String s = in.readStringRequireUtf8();
            if (depth == 1) {
              topString = s;
            }
            v = OtlpAttributes.truncate(s, limits.maxAttributeValueLength());
          }
          case 2 -> {
            expect(tag, VARINT);
            v = in.readBool();
          }
          case 3 -> {
            expect(tag, VARINT);
            v = in.readInt64();
          }
          case 4 -> {
            expect(tag, FIXED64);
            v = in.readDouble();
          }
          case 5 -> {
            expect(tag, LEN);
            int old = in.pushLimit(in.readRawVarint32());
            v = array(in, depth);
            end(in, old);
          }
          case 6 -> {
            expect(tag, LEN);
            int old = in.pushLimit(in.readRawVarint32());
            v = kvList(in, depth);
            end(in, old);
          }
          case 7 -> {
            expect(tag, LEN);
            byte[] b = in.readByteArray();
            int max = limits.maxAttributeValueLength();
            v = b.length > max ? Arrays.copyOf(b, max) : b;
          }
          case 8 -> throw BAIL; // string_value_strindex
          default -> skip(in, tag);
        }
      }
      if (values > 1) {
        throw BAIL; // a oneof sent twice: last wins, or merges; not worth copying
      }
      return v;
    }

    private Object array(CodedInputStream in, int depth) throws IOException {
      List<Object> list = new ArrayList<>();
      boolean tooDeep = depth >= limits.maxAnyValueDepth();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          Object x = anyValue(in, depth + 1);
          end(in, old);
          if (x == TOO_DEEP) {
            tooDeep = true;
          }
          list.add(x);
        } else {
          skip(in, tag);
        }
      }
      return tooDeep ? TOO_DEEP : list;
    }

    private Object kvList(CodedInputStream in, int depth) throws IOException {
      Map<String, Object> m = new LinkedHashMap<>();
      boolean tooDeep = depth >= limits.maxAnyValueDepth();
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          Object x = keyValue(in, depth + 1);
          end(in, old);
          if (x == TOO_DEEP) {
            tooDeep = true;
          }
          m.put(OtlpAttributes.truncate(kvKey, limits.maxAttributeKeyLength()), x);
        } else {
          skip(in, tag);
        }
      }
      return tooDeep ? TOO_DEEP : m;
    }

    private static void end(CodedInputStream in, int oldLimit) throws IOException {
      // readTag returned 0: the nested message ended exactly at its length.
      in.checkLastTagWas(0);
      in.popLimit(oldLimit);
    }

    /** A known field with another wire type is an unknown field to protobuf: rare, not copied. */
    private static void expect(int tag, int wireType) {
      if (WireFormat.getTagWireType(tag) != wireType) {
        throw BAIL;
      }
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
      int wireType = WireFormat.getTagWireType(tag);
      if (wireType == WireFormat.WIRETYPE_START_GROUP
          || wireType == WireFormat.WIRETYPE_END_GROUP) {
        throw BAIL;
      }
      in.skipField(tag);
    }
  }
}
