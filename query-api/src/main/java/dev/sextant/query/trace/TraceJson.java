package dev.sextant.query.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanLink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
  // A trace is a tree as deep as its longest call chain; Jackson's default limit is 1000 levels.
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(1_000_000).build())
      .build();

  private TraceJson() {}

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
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
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
    return out.toByteArray();
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
      g.writeArrayFieldStart("children");
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
    g.writeStringField("traceId", s.traceId());
    g.writeStringField("spanId", s.spanId());
    g.writeStringField("parentSpanId", s.parentSpanId());
    g.writeStringField("service", s.serviceName());
    g.writeStringField("name", s.name());
    g.writeStringField("kind", s.kind().name());
    g.writeStringField("startTimeUnixNano", Long.toString(n.start()));
    g.writeStringField("endTimeUnixNano", Long.toString(n.end()));
    g.writeNumberField("durationNanos", s.durationNanos());
    g.writeNumberField("selfNanos", n.selfNanos());
    g.writeNumberField("depth", n.depth());
    if (n.criticalNanos() > 0) {
      g.writeBooleanField("critical", true);
      g.writeNumberField("criticalNanos", n.criticalNanos());
    }
    if (n.skewNanos() != 0) {
      g.writeNumberField("clockSkewNanos", n.skewNanos());
    }
    if (logCounts != null) {
      g.writeNumberField("logCount", logCounts.applyAsInt(s.spanId()));
    }
    if (n.orphan()) {
      g.writeBooleanField("orphan", true);
    }
    if (!s.traceState().isEmpty()) {
      g.writeStringField("traceState", s.traceState());
    }
    g.writeObjectFieldStart("status");
    g.writeStringField("code", s.statusCode().name());
    if (!s.statusMessage().isEmpty()) {
      g.writeStringField("message", s.statusMessage());
    }
    g.writeEndObject();
    writeMap(g, "attributes", s.attributes());
    g.writeArrayFieldStart("events");
    for (SpanEvent e : s.events()) {
      g.writeStartObject();
      g.writeStringField("name", e.name());
      g.writeStringField("timeUnixNano", Long.toString(e.timeUnixNano()));
      writeMap(g, "attributes", e.attributes());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("links");
    for (SpanLink l : s.links()) {
      g.writeStartObject();
      g.writeStringField("traceId", l.traceId());
      g.writeStringField("spanId", l.spanId());
      writeMap(g, "attributes", l.attributes());
      g.writeEndObject();
    }
    g.writeEndArray();
    writeMap(g, "resource", s.resourceAttributes());
    g.writeObjectFieldStart("scope");
    g.writeStringField("name", s.scopeName());
    g.writeStringField("version", s.scopeVersion());
    g.writeEndObject();
    if (s.droppedAttributesCount() + s.droppedEventsCount() + s.droppedLinksCount() > 0) {
      g.writeObjectFieldStart("dropped");
      g.writeNumberField("attributes", s.droppedAttributesCount());
      g.writeNumberField("events", s.droppedEventsCount());
      g.writeNumberField("links", s.droppedLinksCount());
      g.writeEndObject();
    }
  }

  private static void writeMap(JsonGenerator g, String field, Map<String, Object> m)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, Object> e : m.entrySet()) {
      g.writeFieldName(e.getKey());
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
