package dev.sextant.ui.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Range-query results as the JSON {@code charts.js} draws with uPlot: {@code {x: [unix seconds],
 * series: [{label, values}], unit}}, every series aligned on the step grid with {@code null} where
 * it has no point (uPlot draws a gap), NaN and infinities included.
 */
final class Charts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Charts() {}

  /** At most {@code maxSeries} series of {@code matrix} on the grid start, start+step … end. */
  static Map<String, Object> of(List<QueryResult.Series> matrix, long startMs, long endMs,
      long stepMs, String unit, int maxSeries) {
    int n = (int) ((endMs - startMs) / stepMs) + 1;
    List<Double> xs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      xs.add((startMs + i * stepMs) / 1000.0);
    }
    List<Map<String, Object>> series = new ArrayList<>();
    for (QueryResult.Series s : matrix.subList(0, Math.min(maxSeries, matrix.size()))) {
      Double[] values = new Double[n];
      Arrays.fill(values, null);
      for (int i = 0; i < s.timesMs().length; i++) {
        long idx = (s.timesMs()[i] - startMs) / stepMs;
        double v = s.values()[i];
        if (idx >= 0 && idx < n && Double.isFinite(v)) {
          values[(int) idx] = v;
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("label", label(s.labels()));
      m.put("values", Arrays.asList(values));
      series.add(m);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("x", xs);
    out.put("series", series);
    out.put("unit", unit);
    return out;
  }

  /** {@code up{job="api"}}; {@code up} for a name alone; {@code {}} without labels. */
  static String label(Labels l) {
    String s = l.toString();
    return s.endsWith("{}") && s.length() > 2 ? s.substring(0, s.length() - 2) : s;
  }

  /** JSON text; {@code {{x}}} in a template escapes it for an HTML attribute. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
