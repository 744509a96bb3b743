package dev.sextant.server.security;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import java.util.List;
import java.util.Map;

/**
 * The body types that routes taking a structured body accept. A browser can send a cross-site
 * POST without asking first (no CORS preflight) only as {@code text/plain}, form-encoded or
 * multipart; requiring {@code application/json} (or YAML) makes any other site's page ask, and
 * the server answers no CORS headers, so the browser never sends it. Form routes (the UI's forms,
 * Prometheus's form-encoded queries, {@code /login}) are not listed: they are protected by the
 * cross-site check instead.
 */
final class BodyTypes {
  private static final List<String> JSON = List.of("application/json");
  // A YAML rule file; JSON is YAML too.
  private static final List<String> YAML = List.of("application/yaml", "application/x-yaml",
      "text/yaml", "application/json");
  private static final Map<String, List<String>> BY_ROUTE = Map.of(
      "/api/v2/silences", JSON,
      "/api/v2/alerts", JSON,
      "/api/pins", JSON,
      "/api/alerts/backtest", YAML);

  private BodyTypes() {}

  /**
   * Null when {@code method} on {@code route} may carry {@code type}; otherwise the refusal's
   * message, naming what was sent and what is expected.
   */
  static String refusal(String route, HttpMethod method, MediaType type) {
    if (method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH) {
      return null;
    }
    List<String> expected = BY_ROUTE.get(route);
    if (expected == null) {
      return null;
    }
    String sent = type == null ? null : type.type() + "/" + type.subtype();
    if (sent != null && expected.contains(sent)) {
      return null;
    }
    return "Content-Type: " + (type == null ? "missing" : type.toString()) + " (expected: "
        + String.join(" or ", expected) + ")";
  }
}
