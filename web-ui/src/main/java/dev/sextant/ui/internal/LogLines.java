package dev.sextant.ui.internal;

import dev.sextant.storage.LogRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Log records as the {@code partials/loglines} template shows them. */
final class LogLines {
  private static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

  private LogLines() {}

  static List<Map<String, Object>> of(List<LogRecord> records) {
    List<Map<String, Object>> out = new ArrayList<>(records.size());
    for (LogRecord r : records) {
      Map<String, Object> m = new HashMap<>();
      String level = level(r.severityNumber());
      m.put("time", Formats.time(r.effectiveTimeUnixNano()));
      m.put("severity", r.severityText().isEmpty() ? level : r.severityText());
      m.put("sevClass", "sev-" + level.toLowerCase(Locale.ROOT));
      m.put("service", r.serviceName());
      m.put("serviceColor", Formats.color(r.serviceName()));
      m.put("body", r.body());
      if (!r.traceId().isEmpty()) {
        m.put("traceId", r.traceId());
        m.put("traceLink", "/ui/traces/" + r.traceId()
            + (r.spanId().isEmpty() ? "" : "?span=" + r.spanId()));
      }
      if (!r.correlationId().isEmpty()) {
        m.put("correlationId", r.correlationId());
        m.put("correlationLink", "/ui/logs?correlationId=" + Formats.url(r.correlationId())
            + "&lookback=all");
      }
      out.add(m);
    }
    return out;
  }

  /** The level name of an OTLP severity number; {@code unset} for 0. */
  static String level(int severityNumber) {
    return severityNumber <= 0 ? "UNSET" : LEVELS[Math.min(5, (severityNumber - 1) / 4)];
  }

  /** The minimum-severity select: value is the lowest OTLP number of the level. */
  static List<Map<String, Object>> severityOptions(int selected) {
    List<Map<String, Object>> out = new ArrayList<>();
    out.add(Map.of("value", 0, "label", "any severity", "selected", selected == 0));
    for (int i = 0; i < LEVELS.length; i++) {
      int n = i * 4 + 1;
      out.add(Map.of("value", n, "label", LEVELS[i] + " and above", "selected", selected == n));
    }
    return out;
  }
}
