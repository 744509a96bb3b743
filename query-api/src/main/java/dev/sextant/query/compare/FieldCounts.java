package dev.sextant.query.compare;

import dev.sextant.storage.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Counts, per side, the traces having each value, and ranks the values by the difference of their
 * proportions. As BubbleUp does, keys whose values identify an event rather than describe it are
 * left out: by name (IDs and timestamps) and by cardinality (more distinct values than a quarter
 * of the traces analysed, and more than 10), since such a value cannot be shared by many traces.
 * When the selection is failing traces, the span attributes that describe a failure
 * ({@link #FAILURE_KEYS}) are left out too.
 */
final class FieldCounts {
  /** Most distinct values counted per trace: bounds the work a trace of huge spans costs. */
  static final int MAX_FIELDS_PER_TRACE = 4096;
  /** Least selected traces a value needs to be ranked (fewer when the selection is smaller). */
  static final int MIN_COUNT = 3;

  // user.id, request_id, thread.id, traceId, created_at, timestamp, log.time ...
  private static final Pattern ID_OR_TIME = Pattern.compile(
      "(?:^|.*[._-])(?:id|uuid|guid|timestamp|time|date|at)$|.*[a-z](?:Id|ID|Uuid|Time)$"
          + "|(?i).*(?:trace_?id|span_?id|unix_?nano|timestamp)$");

  /**
   * Span attributes that say how a span failed (OpenTelemetry's semantic conventions): compared
   * between failing traces and the others they tell the failure itself ("they have
   * error.type=503"), not what sets the failing ones apart, and would crowd the causes out.
   */
  static final Set<String> FAILURE_KEYS = Set.of("error.type", "exception.type",
      "exception.message", "exception.escaped", "http.response.status_code", "http.status_code",
      "rpc.grpc.status_code", "rpc.connect_rpc.error_code", "rpc.jsonrpc.error_code",
      "rpc.jsonrpc.error_message", "db.response.status_code", "otel.status_code",
      "otel.status_description");

  private final Map<Field, int[]> counts = new HashMap<>();
  private final boolean failuresSelected;
  private final Map<String, Set<String>> valuesByKey = new HashMap<>();
  private final int[] traces = new int[2];

  /**
   * @param failuresSelected the selection is failing traces: {@link #FAILURE_KEYS} are left out
   */
  FieldCounts(boolean failuresSelected) {
    this.failuresSelected = failuresSelected;
  }

  /** Counts one trace's distinct values on side 0 (selection) or 1 (baseline). */
  void add(int side, List<Span> spans) {
    traces[side]++;
    for (Field f : fields(spans)) {
      counts.computeIfAbsent(f, k -> new int[2])[side]++;
      Set<String> values = valuesByKey.computeIfAbsent(f.scope() + "\u0000" + f.key(),
          k -> new HashSet<>());
      if (values.size() <= MAX_FIELDS_PER_TRACE) {
        values.add(f.value());
      }
    }
  }

  int traces(int side) {
    return traces[side];
  }

  /** Distinct values above which a key is high-cardinality. */
  int maxDistinct() {
    return Math.max(10, (traces[0] + traces[1]) / 4);
  }

  static Set<Field> fields(List<Span> spans) {
    Set<Field> out = new LinkedHashSet<>();
    for (Span s : spans) {
      if (out.size() >= MAX_FIELDS_PER_TRACE) {
        break;
      }
      out.add(new Field("service", "service.name", s.serviceName()));
      out.add(new Field("operation", "operation", cut(s.serviceName() + " " + s.name())));
      attributes(out, "span", s.attributes());
      attributes(out, "resource", s.resourceAttributes());
    }
    return out;
  }

  private static void attributes(Set<Field> out, String scope, Map<String, Object> attrs) {
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      if (out.size() >= MAX_FIELDS_PER_TRACE) {
        return;
      }
      Object v = e.getValue();
      if (v == null || v instanceof byte[] || e.getKey().equals("service.name")) {
        continue;
      }
      out.add(new Field(scope, e.getKey(), cut(String.valueOf(v))));
    }
  }

  private static String cut(String v) {
    return v.length() <= Field.MAX_VALUE_LENGTH ? v : v.substring(0, Field.MAX_VALUE_LENGTH);
  }

  static boolean idOrTime(String key) {
    return ID_OR_TIME.matcher(key).matches();
  }

  /** Keys left out, with the reason, in key order. */
  List<Comparison.IgnoredKey> ignored() {
    List<Comparison.IgnoredKey> out = new ArrayList<>();
    int max = maxDistinct();
    valuesByKey.forEach((k, values) -> {
      int sep = k.indexOf('\u0000');
      String scope = k.substring(0, sep);
      String key = k.substring(sep + 1);
      if (scope.equals("span") || scope.equals("resource")) {
        if (idOrTime(key)) {
          out.add(new Comparison.IgnoredKey(scope, key, "names an ID or a time"));
        } else if (failuresSelected && scope.equals("span") && FAILURE_KEYS.contains(key)) {
          out.add(new Comparison.IgnoredKey(scope, key,
              "describes the failure itself (the selection is failing traces)"));
        } else if (values.size() > max) {
          out.add(new Comparison.IgnoredKey(scope, key, "high cardinality: "
              + (values.size() > MAX_FIELDS_PER_TRACE ? "over " + MAX_FIELDS_PER_TRACE
                  : values.size()) + " distinct values in " + (traces[0] + traces[1])
              + " traces (more than " + max + ")"));
        }
      }
    });
    out.sort(Comparator.comparing(Comparison.IgnoredKey::key)
        .thenComparing(Comparison.IgnoredKey::scope));
    return out;
  }

  /**
   * Values with a positive difference of proportions and at least {@link #MIN_COUNT} selected
   * traces (or all of them, when fewer were selected), best first; ties by more selected traces,
   * then by key and value.
   */
  List<Difference> rank(int limit) {
    Set<String> ignored = new HashSet<>();
    for (Comparison.IgnoredKey k : ignored()) {
      ignored.add(k.scope() + "\u0000" + k.key());
    }
    int minCount = Math.max(1, Math.min(MIN_COUNT, traces[0]));
    List<Difference> out = new ArrayList<>();
    for (Map.Entry<Field, int[]> e : counts.entrySet()) {
      Field f = e.getKey();
      int sel = e.getValue()[0];
      int base = e.getValue()[1];
      if (sel < minCount || ignored.contains(f.scope() + "\u0000" + f.key())) {
        continue;
      }
      double ps = (double) sel / traces[0];
      double pb = traces[1] == 0 ? 0 : (double) base / traces[1];
      if (ps - pb > 1e-9) {
        out.add(new Difference(f, sel, ps, base, pb, ps - pb));
      }
    }
    out.sort(Comparator.comparingDouble(Difference::score).reversed()
        .thenComparing(Comparator.comparingInt(Difference::selectionCount).reversed())
        .thenComparing(d -> d.field().key()).thenComparing(d -> d.field().value())
        .thenComparing(d -> d.field().scope()));
    return out.size() <= limit ? out : List.copyOf(out.subList(0, limit));
  }
}
