package dev.sextant.query.api;

import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.JsonErrors;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.query.signals.GoldenSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Golden signals of a service or operation. {@code step} defaults to 1/60 of the window (at least
 * 15s), at most 11,000 points; {@code window} (the rate window) defaults to max(1m, 2 × step).
 */
final class SignalEndpoints {
  static final int MAX_POINTS = 11_000;

  private final GoldenSignals signals;

  SignalEndpoints(GoldenSignals signals) {
    this.signals = signals;
  }

  Object signals(ServiceRequestContext ctx, QueryParams q) {
    if (signals == null) {
      return JsonErrors.of(HttpStatus.SERVICE_UNAVAILABLE,
          "golden signals need the PromQL engine, which is not configured on this server");
    }
    String service = ctx.pathParam("service");
    String operation = ctx.pathParam("operation");
    if (operation == null) {
      operation = q.get("operation");
    }
    Params.Window w = Params.window(q.get("start"), q.get("end"), SearchEndpoints.DEFAULT_RANGE,
        SearchEndpoints.nowNanos());
    long startMs = w.fromUnixNano() / 1_000_000;
    long endMs = w.toUnixNano() / 1_000_000;
    String stepParam = q.get("step");
    long stepMs = stepParam == null ? Math.max(15_000, (endMs - startMs) / 60)
        : Params.duration("step", stepParam) / 1_000_000;
    if (stepMs <= 0) {
      throw new BadParameterException("step", stepParam, "a duration of at least 1ms");
    }
    if ((endMs - startMs) / stepMs + 1 > MAX_POINTS) {
      throw new BadParameterException("step", stepParam == null ? stepMs + "ms" : stepParam,
          "at most " + MAX_POINTS + " points per series (a larger step)");
    }
    String windowParam = q.get("window");
    long windowMs = windowParam == null ? Math.max(Duration.ofMinutes(1).toMillis(), 2 * stepMs)
        : Params.duration("window", windowParam) / 1_000_000;
    if (windowMs <= 0) {
      throw new BadParameterException("window", windowParam, "a duration of at least 1ms");
    }
    GoldenSignals.Result r = signals.query(service, operation, startMs, endMs, stepMs, windowMs);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("service", service);
    out.put("operation", operation);
    out.put("startMs", startMs);
    out.put("endMs", endMs);
    out.put("stepMs", stepMs);
    out.put("windowMs", windowMs);
    out.put("spanKind", r.spanKind());
    Map<String, Object> byName = new LinkedHashMap<>();
    for (GoldenSignals.Signal s : r.signals()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("unit", s.unit());
      m.put("query", s.query());
      m.put("series", series(s.series()));
      byName.put(s.name(), m);
    }
    out.put("signals", byName);
    return out;
  }

  /** Each series as {labels, points: [[unixMillis, value], ...]}; NaN and infinities are null. */
  private static List<Object> series(List<QueryResult.Series> series) {
    List<Object> out = new ArrayList<>(series.size());
    for (QueryResult.Series s : series) {
      List<Object> points = new ArrayList<>(s.timesMs().length);
      for (int i = 0; i < s.timesMs().length; i++) {
        double v = s.values()[i];
        points.add(Arrays.asList(s.timesMs()[i],
            Double.isFinite(v) ? v : null));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("labels", s.labels().toMap());
      m.put("points", points);
      out.add(m);
    }
    return out;
  }
}
