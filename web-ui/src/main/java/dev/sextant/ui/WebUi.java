package dev.sextant.ui;

import com.linecorp.armeria.server.VirtualHostBuilder;

/**
 * The Sextant web UI: server-rendered pages (trace search, waterfall, logs, services) and the
 * static assets they use, all served by Sextant itself (no CDN). Build with {@link #builder()}.
 *
 * <p>The trace waterfall page loads its data from {@code GET /api/traces/{traceId}} (the query
 * API's {@code TraceService}), which the caller registers on the same host.
 */
public interface WebUi {
  static WebUiBuilder builder() {
    return new WebUiBuilder();
  }

  /**
   * Registers the UI on {@code host}: pages under {@code /ui/}, assets under {@code /static/} and a
   * redirect from {@code /} to {@code /ui/search}. Calling it twice on one host fails as Armeria
   * refuses duplicate routes.
   */
  void registerTo(VirtualHostBuilder host);
}
