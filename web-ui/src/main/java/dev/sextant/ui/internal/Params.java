package dev.sextant.ui.internal;

import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Query-string parameters of a page, parsed with errors that name the field. Numbers and span
 * durations follow the query API's rules ({@link dev.sextant.query.Params}), so a value
 * means the same in a page's URL as in an API call.
 */
final class Params {
  private final QueryParams q;

  Params(ServiceRequestContext ctx) {
    String query = ctx.query();
    this.q = query == null ? QueryParams.of() : QueryParams.fromQueryString(query);
  }

  /** The trimmed value, or empty. */
  String str(String name) {
    String v = q.get(name);
    return v == null ? "" : v.trim();
  }

  boolean flag(String name) {
    String v = str(name);
    return v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("on");
  }

  /** An integer in {@code [min, max]} by the query API's rules, or {@code def} when empty. */
  int integer(String name, int def, int min, int max) {
    String v = str(name);
    return dev.sextant.query.Params.intIn(name, v.isEmpty() ? null : v, def, min, max);
  }

  /**
   * A span duration filter such as {@code 250ms}, {@code 1.5s}, {@code 2m} by the query API's
   * rules ({@link dev.sextant.query.Params#duration}, Go's as in Jaeger); -1 when absent.
   */
  long durationNanos(String name) {
    String v = str(name);
    return v.isEmpty() ? -1 : dev.sextant.query.Params.duration(name, v);
  }

  /** {@code key=value} pairs separated by spaces (or new lines). */
  Map<String, String> attributes(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : str(name).split("\\s+")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(name + ": " + pair + " (expected: key=value)");
      }
      out.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return out;
  }
}
