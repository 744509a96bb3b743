package dev.sextant.query.api;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.VirtualHostBuilder;

/**
 * Sextant's HTTP query endpoints: the native JSON API under {@code /api} (trace search, services,
 * operations, logs, correlations, service dependencies, golden signals) and the Jaeger-compatible
 * API under {@code /jaeger/api}. {@code GET /api/traces/{traceId}} is not part of it (see
 * {@link dev.sextant.query.trace.TraceService}).
 *
 * <p>Every endpoint answers 400 with {@code {"status":400,"error":"<param>: '<value>' (expected:
 * ...)"}} for a bad parameter. Limits: at most {@value Params#MAX_LIMIT} results per response, a
 * time window of at most 31 days.
 */
public interface QueryApi {
  static QueryApiBuilder builder() {
    return new QueryApiBuilder();
  }

  /** Adds every route to the server's default virtual host. */
  void registerTo(ServerBuilder sb);

  /** Adds every route to {@code host}. */
  void registerTo(VirtualHostBuilder host);
}
