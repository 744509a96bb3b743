package dev.sextant.query.trace;

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
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Writes a {@link Trace} as JSON. Nanosecond timestamps are strings (they exceed a JSON number's
 * safe integer range in browsers), durations are numbers. Byte attributes are base64.
 */
public final class TraceJson {
  // Field names pre-encoded: a 1,000-span trace writes some 40,000 of them.
  private static final byte[] F_ATTRIBUTES = JsonBytes.fieldName("attributes");
  private static final byte[] F_CHILDREN = JsonBytes.fieldName("children");
  private static final byte[] F_CLOCK_SKEW_NANOS = JsonBytes.fieldName("clockSkewNanos");
  private static final byte[] F_CODE = JsonBytes.fieldName("code");
  private static final byte[] F_CRITICAL = JsonBytes.fieldName("critical");
  private static final byte[] F_CRITICAL_NANOS = JsonBytes.fieldName("criticalNanos");
  private static final byte[] F_DEPTH = JsonBytes.fieldName("depth");
  private static final byte[] F_DROPPED = JsonBytes.fieldName("dropped");
  private static final byte[] F_DURATION_NANOS = JsonBytes.fieldName("durationNanos");
  private static final byte[] F_END_TIME_UNIX_NANO = JsonBytes.fieldName("endTimeUnixNano");
  private static final byte[] F_EVENTS = JsonBytes.fieldName("events");
  private static final byte[] F_KIND = JsonBytes.fieldName("kind");
  private static final byte[] F_LINKS = JsonBytes.fieldName("links");
  private static final byte[] F_LOG_COUNT = JsonBytes.fieldName("logCount");
  private static final byte[] F_MESSAGE = JsonBytes.fieldName("message");
  private static final byte[] F_NAME = JsonBytes.fieldName("name");
  private static final byte[] F_ORPHAN = JsonBytes.fieldName("orphan");
  private static final byte[] F_PARENT_SPAN_ID = JsonBytes.fieldName("parentSpanId");
  private static final byte[] F_RESOURCE = JsonBytes.fieldName("resource");
  private static final byte[] F_SCOPE = JsonBytes.fieldName("scope");
  private static final byte[] F_SELF_NANOS = JsonBytes.fieldName("selfNanos");
  private static final byte[] F_SERVICE = JsonBytes.fieldName("service");
  private static final byte[] F_SPAN_ID = JsonBytes.fieldName("spanId");
  private static final byte[] F_START_TIME_UNIX_NANO = JsonBytes.fieldName("startTimeUnixNano");
  private static final byte[] F_STATUS = JsonBytes.fieldName("status");
  private static final byte[] F_TIME_UNIX_NANO = JsonBytes.fieldName("timeUnixNano");
  private static final byte[] F_TRACE_ID = JsonBytes.fieldName("traceId");
  private static final byte[] F_TRACE_STATE = JsonBytes.fieldName("traceState");
  private static final byte[] F_VERSION = JsonBytes.fieldName("version");
  private static final byte[] F_SPAN_COUNT = JsonBytes.fieldName("spanCount");
  private static final byte[] F_TRUNCATED = JsonBytes.fieldName("truncated");
  private static final byte[] F_MAX_SPANS = JsonBytes.fieldName("maxSpans");
  private static final byte[] F_ERROR_COUNT = JsonBytes.fieldName("errorCount");
  private static final byte[] F_SERVICES = JsonBytes.fieldName("services");
  private static final byte[] F_WARNINGS = JsonBytes.fieldName("warnings");
  private static final byte[] F_ROOTS = JsonBytes.fieldName("roots");

  private TraceJson() {}

  private static void str(JsonBytes g, byte[] field, String value) throws IOException {
    g.name(field);
    g.string(value);
  }

  private static void num(JsonBytes g, byte[] field, long value) throws IOException {
    g.name(field);
    g.number(value);
  }

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
    try (JsonBytes g = new JsonBytes(out)) {
      g.startObject();
      str(g, F_TRACE_ID, trace.traceId());
      num(g, F_SPAN_COUNT, trace.spanCount());
      if (read != null) {
        g.name(F_TRUNCATED);
        g.bool(read.truncated());
        num(g, F_MAX_SPANS, read.maxSpans());
      }
      num(g, F_ERROR_COUNT, trace.errorCount());
      num(g, F_DEPTH, trace.depth());
      g.name(F_START_TIME_UNIX_NANO);
      g.quotedNumber(trace.startUnixNano());
      num(g, F_DURATION_NANOS, trace.durationNanos());
      g.name(F_SERVICES);
      g.startArray();
      for (String s : trace.services()) {
        g.string(s);
      }
      g.endArray();
      g.name(F_WARNINGS);
      g.startArray();
      if (read != null && read.truncated()) {
        g.string(read.warning());
      }
      for (String w : trace.warnings()) {
        g.string(w);
      }
      g.endArray();
      g.name(F_ROOTS);
      g.startArray();
      for (TraceNode root : trace.roots()) {
        writeTree(g, root, logCounts);
      }
      g.endArray();
      g.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Depth-first without recursion: deep traces must not overflow the stack. */
  private static void writeTree(JsonBytes g, TraceNode root,
      @Nullable ToIntFunction<String> logCounts) throws IOException {
    ArrayDeque<Object> stack = new ArrayDeque<>();
    stack.push(root);
    while (!stack.isEmpty()) {
      Object top = stack.pop();
      if (top == END) {
        g.endArray();
        g.endObject();
        continue;
      }
      TraceNode n = (TraceNode) top;
      writeSpanFields(g, n, logCounts);
      g.name(F_CHILDREN);
      g.startArray();
      List<TraceNode> children = n.children();
      if (children.isEmpty()) {
        g.endArray();
        g.endObject();
        continue;
      }
      stack.push(END);
      for (int i = children.size() - 1; i >= 0; i--) {
        stack.push(children.get(i));
      }
    }
  }

  private static final Object END = new Object();

  private static void writeSpanFields(JsonBytes g, TraceNode n,
      @Nullable ToIntFunction<String> logCounts) throws IOException {
    Span s = n.span();
    g.startObject();
    str(g, F_TRACE_ID, s.traceId());
    str(g, F_SPAN_ID, s.spanId());
    str(g, F_PARENT_SPAN_ID, s.parentSpanId());
    str(g, F_SERVICE, s.serviceName());
    str(g, F_NAME, s.name());
    str(g, F_KIND, s.kind().name());
    g.name(F_START_TIME_UNIX_NANO);
    g.quotedNumber(n.start());
    g.name(F_END_TIME_UNIX_NANO);
    g.quotedNumber(n.end());
    num(g, F_DURATION_NANOS, s.durationNanos());
    num(g, F_SELF_NANOS, n.selfNanos());
    num(g, F_DEPTH, n.depth());
    if (n.criticalNanos() > 0) {
      g.name(F_CRITICAL);
      g.bool(true);
      num(g, F_CRITICAL_NANOS, n.criticalNanos());
    }
    if (n.skewNanos() != 0) {
      num(g, F_CLOCK_SKEW_NANOS, n.skewNanos());
    }
    if (logCounts != null) {
      num(g, F_LOG_COUNT, logCounts.applyAsInt(s.spanId()));
    }
    if (n.orphan()) {
      g.name(F_ORPHAN);
      g.bool(true);
    }
    if (!s.traceState().isEmpty()) {
      str(g, F_TRACE_STATE, s.traceState());
    }
    g.name(F_STATUS);
    g.startObject();
    str(g, F_CODE, s.statusCode().name());
    if (!s.statusMessage().isEmpty()) {
      str(g, F_MESSAGE, s.statusMessage());
    }
    g.endObject();
    writeMap(g, F_ATTRIBUTES, s.attributes());
    g.name(F_EVENTS);
    g.startArray();
    for (SpanEvent e : s.events()) {
      g.startObject();
      str(g, F_NAME, e.name());
      g.name(F_TIME_UNIX_NANO);
      g.quotedNumber(e.timeUnixNano());
      writeMap(g, F_ATTRIBUTES, e.attributes());
      g.endObject();
    }
    g.endArray();
    g.name(F_LINKS);
    g.startArray();
    for (SpanLink l : s.links()) {
      g.startObject();
      str(g, F_TRACE_ID, l.traceId());
      str(g, F_SPAN_ID, l.spanId());
      writeMap(g, F_ATTRIBUTES, l.attributes());
      g.endObject();
    }
    g.endArray();
    writeMap(g, F_RESOURCE, s.resourceAttributes());
    g.name(F_SCOPE);
    g.startObject();
    str(g, F_NAME, s.scopeName());
    str(g, F_VERSION, s.scopeVersion());
    g.endObject();
    if (s.droppedAttributesCount() + s.droppedEventsCount() + s.droppedLinksCount() > 0) {
      g.name(F_DROPPED);
      g.startObject();
      num(g, F_ATTRIBUTES, s.droppedAttributesCount());
      num(g, F_EVENTS, s.droppedEventsCount());
      num(g, F_LINKS, s.droppedLinksCount());
      g.endObject();
    }
  }

  private static void writeMap(JsonBytes g, byte[] field, Map<String, Object> m)
      throws IOException {
    g.name(field);
    writeObject(g, m, true);
  }

  /**
   * {@code topLevel}: an attribute map's own keys, which the Jackson writer this one replaced
   * wrote pre-encoded (a surrogate pair as UTF-8); the keys of a map inside a value it wrote as
   * strings (a surrogate pair as two escapes). The bytes stay what they were.
   */
  private static void writeObject(JsonBytes g, Map<?, ?> m, boolean topLevel)
      throws IOException {
    g.startObject();
    if (!m.isEmpty()) {
      try {
        // forEach, not entrySet(): the maps storage decodes walk their arrays without an entry
        // object per attribute.
        m.forEach((k, v) -> {
          try {
            if (topLevel) {
              g.encodedName((String) k);
            } else {
              g.name((String) k);
            }
            writeValue(g, v);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    g.endObject();
  }

  private static void writeValue(JsonBytes g, @Nullable Object v) throws IOException {
    if (v == null) {
      g.nullValue();
    } else if (v instanceof String s) {
      g.string(s);
    } else if (v instanceof Boolean b) {
      g.bool(b);
    } else if (v instanceof Long l) {
      g.number(l.longValue());
    } else if (v instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        g.string(d.toString());
      } else {
        g.number(d.doubleValue());
      }
    } else if (v instanceof byte[] b) {
      g.string(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof List<?> l) {
      g.startArray();
      for (Object o : l) {
        writeValue(g, o);
      }
      g.endArray();
    } else if (v instanceof Map<?, ?> m) {
      writeObject(g, m, false);
    } else {
      g.string(v.toString());
    }
  }
}
