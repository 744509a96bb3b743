package dev.sextant.ui;

import com.linecorp.armeria.server.VirtualHostBuilder;

/**
 * The Sextant web UI: server-rendered pages (trace search, waterfall, logs, services, service
 * map, metrics explorer, alerts) and the static assets they use, all served by Sextant itself (no
 * CDN). Build with {@link #builder()}.
 *
 * <p>The trace waterfall page loads its data from {@code GET /api/traces/{traceId}} (the query
 * API's {@code TraceService}); the alerts page creates and expires silences in-process.
 */
public interface WebUi {
  static WebUiBuilder builder() {
    return new WebUiBuilder();
  }

  /**
   * Registers the UI on {@code host}: pages under {@code /ui/}, assets under {@code /static/}, a
   * redirect from {@code /} to {@code /ui/search}, and Prometheus's UI paths that alert
   * notifications link to ({@code /alerts?group=}, {@code /graph?g0.expr=}) as redirects to the
   * alerts page and the metrics explorer. Calling it twice on one host fails as Armeria refuses
   * duplicate routes.
   */
  void registerTo(VirtualHostBuilder host);
}
