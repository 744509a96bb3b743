package dev.sextant.query.jaeger;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.server.HttpService;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Storage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Jaeger query API (the JSON API behind jaeger-ui and Grafana's Jaeger data source) under
 * {@code /jaeger/api}: {@code services}, {@code services/{service}/operations},
 * {@code operations?service=}, {@code traces} (search, full traces), {@code traces/{traceId}} and
 * {@code dependencies}. Responses use Jaeger's envelope {@code {data, total, limit, offset,
 * errors}}; errors are {@code errors: [{code, msg}]} with the HTTP status in {@code code}.
 */
public final class JaegerApi {
  public static final String PREFIX = "/jaeger/api";
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final JaegerEndpoints endpoints;

  private JaegerApi(Storage storage, int maxGraphTraces, int maxSpans) {
    this.endpoints = new JaegerEndpoints(storage, maxGraphTraces, maxSpans);
  }

  /** {@code maxGraphTraces} bounds the traces read by {@code dependencies} (1-1000). */
  public static JaegerApi of(Storage storage, int maxGraphTraces) {
    return of(storage, maxGraphTraces, TraceRead.DEFAULT_MAX_SPANS);
  }

  /**
   * As {@link #of(Storage, int)}; every trace read stops at {@code maxSpans} spans, and a cut
   * trace carries {@code truncated: true} and a warning.
   */
  public static JaegerApi of(Storage storage, int maxGraphTraces, int maxSpans) {
    requireNonNull(storage, "storage");
    if (maxGraphTraces < 1 || maxGraphTraces > 1000) {
      throw new IllegalArgumentException(
          "maxGraphTraces: " + maxGraphTraces + " (expected: 1-1000)");
    }
    return new JaegerApi(storage, maxGraphTraces, TraceRead.checkMaxSpans("maxSpans", maxSpans));
  }

  /** Path pattern → service, for {@code ServerBuilder.service(path, service)}. */
  public Map<String, HttpService> routes() {
    Map<String, HttpService> r = new LinkedHashMap<>();
    r.put(PREFIX + "/services", JaegerHandler.of(endpoints::services));
    r.put(PREFIX + "/services/{service}/operations", JaegerHandler.of(endpoints::operations));
    r.put(PREFIX + "/operations", JaegerHandler.of(endpoints::operationObjects));
    r.put(PREFIX + "/traces", JaegerHandler.of(endpoints::traces));
    r.put(PREFIX + "/traces/{traceId}", JaegerHandler.of(endpoints::trace));
    r.put(PREFIX + "/dependencies", JaegerHandler.of(endpoints::dependencies));
    return r;
  }

  static String jsonText(Object v) {
    try {
      return MAPPER.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return String.valueOf(v);
    }
  }
}
