package dev.sextant.query.api;

import com.linecorp.armeria.server.HttpServiceWithRoutes;

/**
 * Sextant's HTTP query endpoints as one service: the native JSON API under {@code /api} (trace
 * search, services, operations, logs, correlations, service dependencies, golden signals,
 * {@code GET /api/compare} (what sets failing or slow traces apart, see
 * {@link dev.sextant.query.compare.TraceComparer}), {@code GET /api/critical-path} (an
 * operation's critical path across traces, see {@link dev.sextant.query.critpath.CriticalPaths}),
 * the pinned set ({@code GET/POST /api/pins}, {@code DELETE /api/pins/{id}},
 * {@code POST /api/pins/incidents/{incidentId}/resolve}: traces and log lines kept past
 * retention, see {@link dev.sextant.storage.Pins}), and
 * {@code GET /api/traces/{traceId}}, see {@link dev.sextant.query.trace.TraceService}), the
 * Jaeger-compatible API under {@code /jaeger/api} and, with a PromQL engine, the
 * Prometheus-compatible API under {@code /api/v1} (see
 * {@link dev.sextant.query.prometheus.PrometheusApi}). Mount it with
 * {@code serverBuilder.service(queryApi)} (or a virtual host's {@code service}); mounting it twice
 * on one host fails as Armeria refuses duplicate routes.
 *
 * <p>Every native endpoint answers 400 with {@code {"status":400,"error":"<param>: '<value>'
 * (expected: ...)"}} for a bad parameter. Limits: at most {@value Params#MAX_LIMIT} results per
 * response, a time window of at most 31 days.
 */
public interface QueryApi extends HttpServiceWithRoutes {
  static QueryApiBuilder builder() {
    return new QueryApiBuilder();
  }
}
