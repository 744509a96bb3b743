package dev.sextant.ui;

import com.linecorp.armeria.server.HttpServiceWithRoutes;

/**
 * The Sextant web UI as one service: server-rendered pages (trace search, waterfall, logs,
 * services, service map, metrics explorer, alerts, playbooks) and the static assets they use, all
 * served by Sextant itself (no CDN). Build with {@link #builder()}; mount with
 * {@code serverBuilder.service(webUi)} (or a virtual host's {@code service}): pages under
 * {@code /ui/}, assets under {@code /static/}, a redirect from {@code /} to {@code /ui/search},
 * Prometheus's UI paths that alert notifications link to ({@code /alerts?group=},
 * {@code /graph?g0.expr=}) as redirects to the alerts page and the metrics explorer, and, with a
 * playbooks directory, {@code /playbooks/} and {@code /playbooks/{name}}. Mounting it twice on
 * one host fails as Armeria refuses duplicate routes.
 *
 * <p>The trace waterfall page loads its data from {@code GET /api/traces/{traceId}} (the query
 * API's {@code TraceService}); the alerts page creates and expires silences in-process.
 */
public interface WebUi extends HttpServiceWithRoutes {
  static WebUiBuilder builder() {
    return new WebUiBuilder();
  }
}
