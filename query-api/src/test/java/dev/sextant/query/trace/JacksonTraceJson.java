package dev.sextant.query.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * The trace JSON as it was written through Jackson's generator before {@link TraceJson} wrote
 * bytes itself, kept as the reference that {@code TraceJsonTest} compares it with byte for byte.
 */
final class JacksonTraceJson {
  // A trace is a tree as deep as its longest call chain; Jackson's default limit is 1000 levels.
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build())
      .build();

  // Field names pre-encoded: a 1,000-span trace writes some 40,000 of them.
  private static final SerializedString F_ATTRIBUTES = new SerializedString("attributes");
  private static final SerializedString F_CHILDREN = new SerializedString("children");
  private static final SerializedString F_CLOCK_SKEW_NANOS = new SerializedString("clockSkewNanos");
  private static final SerializedString F_CODE = new SerializedString("code");
  private static final SerializedString F_CRITICAL = new SerializedString("critical");
  private static final SerializedString F_CRITICAL_NANOS = new SerializedString("criticalNanos");
  private static final SerializedString F_DEPTH = new SerializedString("depth");
  private static final SerializedString F_DROPPED = new SerializedString("dropped");
  private static final SerializedString F_DURATION_NANOS = new SerializedString("durationNanos");
  private static final SerializedString F_END_TIME_UNIX_NANO =
      new SerializedString("endTimeUnixNano");
  private static final SerializedString F_EVENTS = new SerializedString("events");
  private static final SerializedString F_KIND = new SerializedString("kind");
  private static final SerializedString F_LINKS = new SerializedString("links");
  private static final SerializedString F_LOG_COUNT = new SerializedString("logCount");
  private static final SerializedString F_MESSAGE = new SerializedString("message");
  private static final SerializedString F_NAME = new SerializedString("name");
  private static final SerializedString F_ORPHAN = new SerializedString("orphan");
  private static final SerializedString F_PARENT_SPAN_ID = new SerializedString("parentSpanId");
  private static final SerializedString F_RESOURCE = new SerializedString("resource");
  private static final SerializedString F_SCOPE = new SerializedString("scope");
  private static final SerializedString F_SELF_NANOS = new SerializedString("selfNanos");
  private static final SerializedString F_SERVICE = new SerializedString("service");
  private static final SerializedString F_SPAN_ID = new SerializedString("spanId");
  private static final SerializedString F_START_TIME_UNIX_NANO =
      new SerializedString("startTimeUnixNano");
  private static final SerializedString F_STATUS = new SerializedString("status");
  private static final SerializedString F_TIME_UNIX_NANO = new SerializedString("timeUnixNano");
  private static final SerializedString F_TRACE_ID = new SerializedString("traceId");
  private static final SerializedString F_TRACE_STATE = new SerializedString("traceState");
  private static final SerializedString F_VERSION = new SerializedString("version");
  // Attribute keys repeat from span to span; their encoded forms are kept up to a bound.
  private static final int MAX_CACHED_KEYS = 4096;
  private static final ConcurrentHashMap<String, SerializedString> KEYS = new ConcurrentHashMap<>();

  private static void str(JsonGenerator g, SerializedString field, String value)
      throws IOException {
    g.writeFieldName(field);
    g.writeString(value);
  }

  private static void num(JsonGenerator g, SerializedString field, long value)
      throws IOException {
    g.writeFieldName(field);
    g.writeNumber(value);
  }

  private static void bool(JsonGenerator g, SerializedString field, boolean value)
      throws IOException {
    g.writeFieldName(field);
    g.writeBoolean(value);
  }

  private static void key(JsonGenerator g, String key) throws IOException {
    SerializedString k = KEYS.get(key);
    if (k == null && KEYS.size() < MAX_CACHED_KEYS) {
      k = KEYS.computeIfAbsent(key, SerializedString::new);
    }
    if (k != null) {
      g.writeFieldName(k);
    } else {
      g.writeFieldName(key);
    }
  }

  private JacksonTraceJson() {}

  public static byte[] write(Trace trace) {
    return write(trace, null);
  }

  /**
   * Writes the trace; {@code logCounts} (may be null) gives the number of logs linked to a span ID.
   */
  public static byte[] write(Trace trace,
      ToIntFunction<String> logCounts) {
    return write(trace, logCounts, null);
  }

  /**
   * As {@link #write(Trace, java.util.function.ToIntFunction)}; with {@code read} (may be null),
   * also {@code truncated} and {@code maxSpans}, and the read's warning when it was cut.
   */
  public static byte[] write(Trace trace,
      ToIntFunction<String> logCounts, @Nullable TraceRead read) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint(trace));
    write(trace, logCounts, read, out);
    return out.toByteArray();
  }

  /**
   * Bytes to reserve for the JSON of {@code trace}: some 900 a span (10 attributes), so that a
   * buffer of a megabyte is not grown (and copied) on the way.
   */
  public static int sizeHint(Trace trace) {
    return 4096 + Math.min(trace.spanCount(), 16_384) * 1024;
  }

  /**
   * As {@link #write(Trace, ToIntFunction, TraceRead)}, into {@code out} (which is closed): the
   * server writes into a pooled network buffer, so a large trace costs no heap array of its size.
   */
  public static void write(Trace trace, @Nullable ToIntFunction<String> logCounts,
      @Nullable TraceRead read, OutputStream out) {
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("traceId", trace.traceId());
      g.writeNumberField("spanCount", trace.spanCount());
      if (read != null) {
        g.writeBooleanField("truncated", read.truncated());
        g.writeNumberField("maxSpans", read.maxSpans());
      }
      g.writeNumberField("errorCount", trace.errorCount());
      g.writeNumberField("depth", trace.depth());
      g.writeStringField("startTimeUnixNano", Long.toString(trace.startUnixNano()));
      g.writeNumberField("durationNanos", trace.durationNanos());
      g.writeArrayFieldStart("services");
      for (String s : trace.services()) {
        g.writeString(s);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("warnings");
      if (read != null && read.truncated()) {
        g.writeString(read.warning());
      }
      for (String w : trace.warnings()) {
        g.writeString(w);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("roots");
      for (TraceNode root : trace.roots()) {
        writeTree(g, root, logCounts);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Depth-first without recursion: deep traces must not overflow the stack. */
  private static void writeTree(JsonGenerator g, TraceNode root,
      ToIntFunction<String> logCounts) throws IOException {
    ArrayDeque<Object> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Object top = stack.pop();
      if (top == END) {
        g.writeEndArray();
        g.writeEndObject();
        continue;
      }
      TraceNode n = (TraceNode) top;
      writeSpanFields(g, n, logCounts);
      g.writeFieldName(F_CHILDREN);
      g.writeStartArray();
      stack.push(END);
      List<TraceNode> children = n.children();
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(children.get(i));
      }
    }
  }

  private static final Object END = new Object();

  private static void writeSpanFields(JsonGenerator g, TraceNode n,
      ToIntFunction<String> logCounts) throws IOException {
    Span s = n.span();
    g.writeStartObject();
    str(g, F_TRACE_ID, s.traceId());
    str(g, F_SPAN_ID, s.spanId());
    str(g, F_PARENT_SPAN_ID, s.parentSpanId());
    str(g, F_SERVICE, s.serviceName());
    str(g, F_NAME, s.name());
    str(g, F_KIND, s.kind().name());
    str(g, F_START_TIME_UNIX_NANO, Long.toString(n.start()));
    str(g, F_END_TIME_UNIX_NANO, Long.toString(n.end()));
    num(g, F_DURATION_NANOS, s.durationNanos());
    num(g, F_SELF_NANOS, n.selfNanos());
    num(g, F_DEPTH, n.depth());
    if (n.criticalNanos() > 0) {
      bool(g, F_CRITICAL, true);
      num(g, F_CRITICAL_NANOS, n.criticalNanos());
    }
    if (n.skewNanos() != 0) {
      num(g, F_CLOCK_SKEW_NANOS, n.skewNanos());
    }
    if (logCounts != null) {
      num(g, F_LOG_COUNT, logCounts.applyAsInt(s.spanId()));
    }
    if (n.orphan()) {
      bool(g, F_ORPHAN, true);
    }
    if (!s.traceState().isEmpty()) {
      str(g, F_TRACE_STATE, s.traceState());
    }
    g.writeFieldName(F_STATUS);
    g.writeStartObject();
    str(g, F_CODE, s.statusCode().name());
    if (!s.statusMessage().isEmpty()) {
      str(g, F_MESSAGE, s.statusMessage());
    }
    g.writeEndObject();
    writeMap(g, F_ATTRIBUTES, s.attributes());
    g.writeFieldName(F_EVENTS);
    g.writeStartArray();
    for (SpanEvent e : s.events()) {
      g.writeStartObject();
      str(g, F_NAME, e.name());
      str(g, F_TIME_UNIX_NANO, Long.toString(e.timeUnixNano()));
      writeMap(g, F_ATTRIBUTES, e.attributes());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeFieldName(F_LINKS);
    g.writeStartArray();
    for (SpanLink l : s.links()) {
      g.writeStartObject();
      str(g, F_TRACE_ID, l.traceId());
      str(g, F_SPAN_ID, l.spanId());
      writeMap(g, F_ATTRIBUTES, l.attributes());
      g.writeEndObject();
    }
    g.writeEndArray();
    writeMap(g, F_RESOURCE, s.resourceAttributes());
    g.writeFieldName(F_SCOPE);
    g.writeStartObject();
    str(g, F_NAME, s.scopeName());
    str(g, F_VERSION, s.scopeVersion());
    g.writeEndObject();
    if (s.droppedAttributesCount() + s.droppedEventsCount() + s.droppedLinksCount() > 0) {
      g.writeFieldName(F_DROPPED);
      g.writeStartObject();
      num(g, F_ATTRIBUTES, s.droppedAttributesCount());
      num(g, F_EVENTS, s.droppedEventsCount());
      num(g, F_LINKS, s.droppedLinksCount());
      g.writeEndObject();
    }
  }

  private static void writeMap(JsonGenerator g, SerializedString field, Map<String, Object> m)
      throws IOException {
    g.writeFieldName(field);
    g.writeStartObject();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      key(g, e.getKey());
      writeValue(g, e.getValue());
    }
    g.writeEndObject();
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        g.writeString(d.toString());
      } else {
        g.writeNumber(d);
      }
    } else if (v instanceof byte[] b) {
      g.writeString(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof List<?> l) {
      g.writeStartArray();
      for (Object o : l) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
        g.writeFieldName(e.getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else {
      g.writeString(v.toString());
    }
  }
}
