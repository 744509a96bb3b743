package dev.sextant.query.api;

import dev.sextant.query.compare.TraceComparer;
import dev.sextant.query.critpath.CriticalPaths;
import dev.sextant.query.http.RoutedService;
import dev.sextant.query.jaeger.JaegerApi;
import dev.sextant.query.prometheus.ActiveTarget;
import dev.sextant.query.prometheus.PrometheusApi;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.signals.GoldenSignals;
import dev.sextant.query.trace.TraceService;
import dev.sextant.storage.Storage;
import java.util.List;
import java.util.function.Supplier;

final class DefaultQueryApi extends RoutedService implements QueryApi {
  DefaultQueryApi(Storage storage, PromqlEngine engine, int maxGraphTraces, int maxSpans,
      int maxAnswerTraces, Supplier<List<ActiveTarget>> targets) {
    super(routes(storage, engine, maxGraphTraces, maxSpans, maxAnswerTraces, targets));
  }

  private static RoutedService.Builder routes(Storage storage, PromqlEngine engine,
      int maxGraphTraces, int maxSpans, int maxAnswerTraces,
      Supplier<List<ActiveTarget>> targets) {
    SearchEndpoints search = new SearchEndpoints(storage, maxGraphTraces, maxSpans);
    LogEndpoints logs = new LogEndpoints(storage, maxSpans);
    SignalEndpoints signals =
        new SignalEndpoints(engine == null ? null : new GoldenSignals(engine));
    RoutedService.Builder routes = RoutedService.builder()
        .service("/api/search", Handler.of(search::search))
        .service("/api/services", Handler.of(search::services))
        .service("/api/services/{service}/operations", Handler.of(search::operations))
        .service("/api/dependencies", Handler.of(search::dependencies))
        .service("/api/compare", Handler.of(new CompareEndpoints(TraceComparer.builder()
            .storage(storage).maxTracesPerSide(maxAnswerTraces).maxSpans(maxSpans).build(),
            maxAnswerTraces)::compare))
        .service("/api/critical-path", Handler.of(new CriticalPathEndpoints(
            CriticalPaths.builder().storage(storage).maxTraces(maxAnswerTraces)
                .maxSpans(maxSpans).build(), maxAnswerTraces)::criticalPath))
        .service("/api/logs", Handler.of(logs::logs))
        .service("/api/traces/{traceId}/logs", Handler.of(logs::traceLogs))
        .service("/api/correlations/{correlationId}", Handler.of(logs::correlation))
        .service("/api/services/{service}/signals", Handler.of(signals::signals))
        .service("/api/services/{service}/operations/{operation}/signals",
            Handler.of(signals::signals));
    JaegerApi.of(storage, maxGraphTraces, maxSpans).routes().forEach(routes::service);
    if (engine != null) {
      routes.addAll(PrometheusApi.of(storage.metricReader(), engine, targets).service());
    }
    PinService pins = new PinService(storage, System::currentTimeMillis);
    routes.service("/api/pins", pins).service("/api/pins/{id}", pins)
        .service("/api/pins/incidents/{incidentId}/resolve", pins);
    return routes.service("/api/traces/{traceId}",
        new TraceService(storage.traceReader(), storage.logReader(), maxSpans));
  }
}
