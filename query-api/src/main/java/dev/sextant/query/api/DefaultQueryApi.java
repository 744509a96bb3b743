package dev.sextant.query.api;

import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.VirtualHostBuilder;
import dev.sextant.query.jaeger.JaegerApi;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.signals.GoldenSignals;
import dev.sextant.storage.Storage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

final class DefaultQueryApi implements QueryApi {
  private final Map<String, HttpService> routes = new LinkedHashMap<>();

  DefaultQueryApi(Storage storage, PromqlEngine engine, int maxGraphTraces, int maxSpans) {
    SearchEndpoints search = new SearchEndpoints(storage, maxGraphTraces, maxSpans);
    LogEndpoints logs = new LogEndpoints(storage, maxSpans);
    SignalEndpoints signals =
        new SignalEndpoints(engine == null ? null : new GoldenSignals(engine));
    routes.put("/api/search", Handler.of(search::search));
    routes.put("/api/services", Handler.of(search::services));
    routes.put("/api/services/{service}/operations", Handler.of(search::operations));
    routes.put("/api/dependencies", Handler.of(search::dependencies));
    routes.put("/api/logs", Handler.of(logs::logs));
    routes.put("/api/traces/{traceId}/logs", Handler.of(logs::traceLogs));
    routes.put("/api/correlations/{correlationId}", Handler.of(logs::correlation));
    routes.put("/api/services/{service}/signals", Handler.of(signals::signals));
    routes.put("/api/services/{service}/operations/{operation}/signals",
        Handler.of(signals::signals));
    JaegerApi.of(storage, maxGraphTraces, maxSpans).routes().forEach(routes::put);
  }

  @Override
  public void registerTo(ServerBuilder sb) {
    register(sb::service);
  }

  @Override
  public void registerTo(VirtualHostBuilder host) {
    register(host::service);
  }

  private void register(BiConsumer<String, HttpService> add) {
    routes.forEach(add);
  }
}
