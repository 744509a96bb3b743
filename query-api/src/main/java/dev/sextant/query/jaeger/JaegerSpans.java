package dev.sextant.query.jaeger;

import dev.sextant.query.trace.Trace;
import dev.sextant.query.trace.TraceAssembler;
import dev.sextant.query.trace.TraceNode;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts spans to Jaeger's UI JSON model (as {@code /api/traces} of jaeger-query returns it):
 * microsecond times after clock-skew adjustment, {@code CHILD_OF} references from parent IDs and
 * {@code FOLLOWS_FROM} from links, typed tags, events as logs, and one process per distinct
 * service and resource.
 */
final class JaegerSpans {
  private JaegerSpans() {}

  /** {@code {traceID, spans, processes, warnings}} of one trace. */
  static Map<String, Object> trace(String traceId, List<Span> spans) {
    return trace(traceId, new TraceRead(spans, false, Math.max(1, spans.size())));
  }

  /**
   * As {@link #trace(String, List)}; a cut read also carries {@code truncated: true} and its
   * warning, which jaeger-ui shows on the trace.
   */
  static Map<String, Object> trace(String traceId, TraceRead read) {
    List<Span> spans = read.spans();
    Trace t = TraceAssembler.assemble(traceId, spans);
    Map<List<Object>, String> processIds = new LinkedHashMap<>();
    Map<String, Object> processes = new LinkedHashMap<>();
    List<Object> out = new ArrayList<>(spans.size());
    ArrayDeque<TraceNode> stack = new ArrayDeque<>();
    for (int i = t.roots().size() - 1; i >= 0; i--) {
      stack.push(t.roots().get(i));
    }
    while (!stack.isEmpty()) {
      TraceNode n = stack.pop();
      Span s = n.span();
      List<Object> key = List.of(s.serviceName(), s.resourceAttributes());
      String pid = processIds.get(key);
      if (pid == null) {
        pid = "p" + (processIds.size() + 1);
        processIds.put(key, pid);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("serviceName", s.serviceName());
        Map<String, Object> res = new LinkedHashMap<>(s.resourceAttributes());
        res.remove("service.name");
        p.put("tags", tags(res));
        processes.put(pid, p);
      }
      out.add(span(n, pid));
      for (int i = n.children().size() - 1; i >= 0; i--) {
        stack.push(n.children().get(i));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceID", traceId);
    m.put("spans", out);
    m.put("processes", processes);
    List<String> warnings = new ArrayList<>(t.warnings());
    if (read.truncated()) {
      warnings.add(0, read.warning());
      m.put("truncated", true);
      m.put("maxSpans", read.maxSpans());
    }
    m.put("warnings", warnings.isEmpty() ? null : warnings);
    return m;
  }

  static Map<String, Object> span(TraceNode n, String processId) {
    Span s = n.span();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceID", s.traceId());
    m.put("spanID", s.spanId());
    m.put("flags", 1);
    m.put("operationName", s.name());
    List<Object> refs = new ArrayList<>();
    if (!s.parentSpanId().isEmpty()) {
      refs.add(ref("CHILD_OF", s.traceId(), s.parentSpanId()));
    }
    for (SpanLink l : s.links()) {
      refs.add(ref("FOLLOWS_FROM", l.traceId(), l.spanId()));
    }
    m.put("references", refs);
    m.put("startTime", n.start() / 1_000);
    m.put("duration", Math.max(0, s.durationNanos()) / 1_000);
    Map<String, Object> attrs = new LinkedHashMap<>(s.attributes());
    if (s.kind() != SpanKind.UNSPECIFIED) {
      attrs.put("span.kind", s.kind().name().toLowerCase(Locale.ROOT));
    }
    if (s.statusCode() != StatusCode.UNSET) {
      attrs.put("otel.status_code", s.statusCode().name());
    }
    if (!s.statusMessage().isEmpty()) {
      attrs.put("otel.status_description", s.statusMessage());
    }
    if (s.statusCode() == StatusCode.ERROR) {
      attrs.put("error", true);
    }
    if (!s.scopeName().isEmpty()) {
      attrs.put("otel.scope.name", s.scopeName());
    }
    if (!s.scopeVersion().isEmpty()) {
      attrs.put("otel.scope.version", s.scopeVersion());
    }
    m.put("tags", tags(attrs));
    List<Object> logs = new ArrayList<>(s.events().size());
    for (SpanEvent e : s.events()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("event", e.name());
      fields.putAll(e.attributes());
      Map<String, Object> log = new LinkedHashMap<>();
      log.put("timestamp", (e.timeUnixNano() + n.skewNanos()) / 1_000);
      log.put("fields", tags(fields));
      logs.add(log);
    }
    m.put("logs", logs);
    m.put("processID", processId);
    m.put("warnings", n.skewNanos() == 0 ? null
        : List.of("clock skew adjusted by " + n.skewNanos() / 1_000 + "µs"));
    return m;
  }

  private static Map<String, Object> ref(String type, String traceId, String spanId) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("refType", type);
    r.put("traceID", traceId);
    r.put("spanID", spanId);
    return r;
  }

  /** Jaeger key-value list: type string, bool, int64, float64 or binary (base64). */
  static List<Object> tags(Map<String, Object> attrs) {
    List<Object> out = new ArrayList<>(attrs.size());
    attrs.forEach((k, v) -> {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("key", k);
      if (v instanceof Boolean) {
        t.put("type", "bool");
        t.put("value", v);
      } else if (v instanceof Long || v instanceof Integer) {
        t.put("type", "int64");
        t.put("value", v);
      } else if (v instanceof Double d) {
        t.put("type", "float64");
        t.put("value", Double.isFinite(d) ? d : d.toString());
      } else if (v instanceof byte[] b) {
        t.put("type", "binary");
        t.put("value", Base64.getEncoder().encodeToString(b));
      } else if (v instanceof List<?> || v instanceof Map<?, ?>) {
        // Jaeger has no array type; OpenTelemetry's Jaeger translator writes arrays as JSON text.
        t.put("type", "string");
        t.put("value", JaegerApi.jsonText(v));
      } else {
        t.put("type", "string");
        t.put("value", String.valueOf(v));
      }
      out.add(t);
    });
    return out;
  }
}
