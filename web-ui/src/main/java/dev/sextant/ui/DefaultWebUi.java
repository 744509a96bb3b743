package dev.sextant.ui;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.VirtualHostBuilder;
import com.linecorp.armeria.server.file.FileService;
import dev.sextant.storage.Storage;
import dev.sextant.ui.internal.LogsPage;
import dev.sextant.ui.internal.PlaceholderPage;
import dev.sextant.ui.internal.SearchPage;
import dev.sextant.ui.internal.ServicesPage;
import dev.sextant.ui.internal.SpanLogsFragment;
import dev.sextant.ui.internal.Templates;
import dev.sextant.ui.internal.TracePage;

final class DefaultWebUi implements WebUi {
  private final Storage storage;

  DefaultWebUi(Storage storage) {
    this.storage = storage;
  }

  @Override
  public void registerTo(VirtualHostBuilder host) {
    Templates templates = new Templates();
    ClassLoader cl = DefaultWebUi.class.getClassLoader();
    // Our own assets first, then the webjars (uPlot) under the same prefix.
    HttpService assets = FileService.builder(cl, "static").maxCacheEntries(64).build()
        .orElse(FileService.of(cl, "META-INF/resources/webjars"));
    HttpService toSearch = (ctx, req) -> HttpResponse.ofRedirect("/ui/search");
    host.service("/", toSearch)
        .service("/ui", toSearch)
        .service("/ui/", toSearch)
        .service("/favicon.ico", (ctx, req) -> HttpResponse.ofRedirect("/static/favicon.svg"))
        .serviceUnder("/static/", assets)
        .service("/ui/search", new SearchPage(templates, storage.spanSearch()))
        .service("/ui/traces/{traceId}", new TracePage(templates, storage.logReader()))
        .service("/ui/traces/{traceId}/logs", new SpanLogsFragment(templates, storage.logReader()))
        .service("/ui/logs", new LogsPage(templates, storage.logReader(), storage.spanSearch()))
        .service("/ui/services", new ServicesPage(templates, storage.spanSearch()))
        .service("/ui/metrics", new PlaceholderPage(templates, "Metrics", "metrics",
            "The PromQL explorer lands here once the Prometheus query API is wired into the UI."))
        .service("/ui/alerts", new PlaceholderPage(templates, "Alerts", "alerts",
            "Alert rules, firing alerts and silences land here once the alert engine is wired "
                + "into the UI."));
  }
}
