package dev.sextant.ui;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.file.FileService;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.query.compare.TraceComparer;
import dev.sextant.query.critpath.CriticalPaths;
import dev.sextant.query.http.RoutedService;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.Storage;
import dev.sextant.ui.internal.AlertsPage;
import dev.sextant.ui.internal.ComparePage;
import dev.sextant.ui.internal.CriticalPathPage;
import dev.sextant.ui.internal.LogsPage;
import dev.sextant.ui.internal.MapPage;
import dev.sextant.ui.internal.MetricsPage;
import dev.sextant.ui.internal.PinActions;
import dev.sextant.ui.internal.PinsPage;
import dev.sextant.ui.internal.PlaybookService;
import dev.sextant.ui.internal.SearchPage;
import dev.sextant.ui.internal.ServicePage;
import dev.sextant.ui.internal.ServicesPage;
import dev.sextant.ui.internal.SilenceActions;
import dev.sextant.ui.internal.SpanLogsFragment;
import dev.sextant.ui.internal.Templates;
import dev.sextant.ui.internal.TracePage;
import java.nio.file.Path;
import java.util.function.Supplier;

final class DefaultWebUi extends RoutedService implements WebUi {
  DefaultWebUi(WebUiBuilder b) {
    super(routes(b.storage, b.promql, b.alerts, b.evidence, b.playbooksDir));
  }

  private static RoutedService.Builder routes(Storage storage, PromqlEngine promql,
      Supplier<AlertEngine> alerts, EvidenceProvider evidence,
      Path playbooksDir) {
    Templates templates = new Templates(playbooksDir != null);
    ClassLoader cl = DefaultWebUi.class.getClassLoader();
    // Our own assets first, then the webjars (uPlot) under the same prefix.
    HttpService assets = FileService.builder(cl, "static").maxCacheEntries(64).build()
        .orElse(FileService.of(cl, "META-INF/resources/webjars"));
    HttpService toSearch = (ctx, req) -> HttpResponse.ofRedirect("/ui/search");
    RoutedService.Builder routes = RoutedService.builder()
        .service("/", toSearch)
        .service("/ui", toSearch)
        .service("/ui/", toSearch)
        .service("/favicon.ico", (ctx, req) -> HttpResponse.ofRedirect("/static/favicon.svg"))
        .serviceUnder("/static/", assets)
        .service("/ui/search", new SearchPage(templates, storage.spanSearch()))
        .service("/ui/traces/{traceId}", new TracePage(templates, storage))
        .service("/ui/traces/{traceId}/logs",
            new SpanLogsFragment(templates, storage.logReader()))
        .service("/ui/logs", new LogsPage(templates, storage.logReader(), storage.spanSearch()))
        .service("/ui/services", new ServicesPage(templates, storage.spanSearch(), promql))
        .service("/ui/services/{service}",
            new ServicePage(templates, storage.spanSearch(), promql))
        .service("/ui/services/{service}/critical-path", new CriticalPathPage(templates,
            CriticalPaths.builder().storage(storage).build()))
        .service("/ui/compare", new ComparePage(templates, storage.spanSearch(),
            TraceComparer.builder().storage(storage).build()))
        .service("/ui/map", new MapPage(templates, storage))
        .service("/ui/metrics", new MetricsPage(templates, promql, storage.metricReader()))
        .service("/ui/metrics/check", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
            MediaType.JSON_UTF_8, Templates.json(
                MetricsPage.check(param(ctx, "expr")))))
        .service("/ui/alerts", new AlertsPage(templates, alerts, evidence))
        .service(Route.builder().path("/ui/pins").methods(HttpMethod.GET, HttpMethod.HEAD)
            .build(), new PinsPage(templates, storage))
        .service(Route.builder().path("/ui/pins").methods(HttpMethod.POST).build(),
            new PinActions(storage, false))
        .service(Route.builder().path("/ui/pins/{id}/unpin").methods(HttpMethod.POST).build(),
            new PinActions(storage, true))
        .service(Route.builder().path("/ui/alerts/silences").methods(HttpMethod.POST).build(),
            new SilenceActions(alerts, false))
        .service(Route.builder().path("/ui/alerts/silences/{id}/expire")
            .methods(HttpMethod.POST).build(), new SilenceActions(alerts, true))
        // Prometheus's UI paths, which alert notifications link to (PagerDuty links,
        // generatorURL).
        .service("/alerts", (ctx, req) -> HttpResponse.ofRedirect(
            "/ui/alerts" + (ctx.query() == null ? "" : "?" + ctx.query())))
        .service("/graph", (ctx, req) -> HttpResponse.ofRedirect(graphTarget(ctx)));
    if (playbooksDir != null) {
      PlaybookService playbooks = new PlaybookService(templates, playbooksDir);
      routes.service("/playbooks/", playbooks).service("/playbooks/{name}", playbooks);
    }
    return routes;
  }

  /** {@code /graph?g0.expr=X&g0.tab=1&g0.range_input=1h} → the metrics explorer. */
  static String graphTarget(ServiceRequestContext ctx) {
    String expr = param(ctx, "g0.expr");
    String range = param(ctx, "g0.range_input");
    // Prometheus's tab 0 is the graph, 1 the table ("console").
    String tab = param(ctx, "g0.tab").equals("1") ? "table" : "graph";
    QueryParams q = QueryParams.builder().add("expr", expr)
        .add("range", range.isEmpty() ? "1h" : range).add("tab", tab).build();
    return "/ui/metrics?" + q.toQueryString();
  }

  private static String param(ServiceRequestContext ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null ? "" : v;
  }
}
