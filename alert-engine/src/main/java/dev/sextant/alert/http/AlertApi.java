package dev.sextant.alert.http;

import com.linecorp.armeria.server.HttpServiceWithRoutes;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.rules.RuleFileResult;
import java.util.List;

/**
 * The alert engines' HTTP API as one service: Prometheus-compatible {@code GET /api/v1/rules}
 * and {@code /api/v1/alerts}, {@code POST|PUT /-/reload}, Alertmanager's API v2 (alerts posted by
 * Prometheus servers and listed with their status, alert groups, status, receivers and silences:
 * {@code POST|GET /api/v2/alerts}, {@code GET /api/v2/alerts/groups}, {@code /api/v2/status},
 * {@code /api/v2/receivers}, {@code GET|POST /api/v2/silences},
 * {@code GET|DELETE /api/v2/silence/{id}}; see docs/alertmanager.md), the delivery audit
 * trail at {@code GET /api/alerts/audit?limit=} and backtests at
 * {@code POST /api/alerts/backtest}. Every route acts on the engine of whoever the request acts
 * for ({@link Engines#current()}, e.g. its tenant) only. Mount it with
 * {@code serverBuilder.service(alertApi)}.
 */
public interface AlertApi extends HttpServiceWithRoutes {
  static AlertApiBuilder builder() {
    return new AlertApiBuilder();
  }

  /**
   * The alert engines the API serves, one per scope (a tenant, say). Called inside the request's
   * context; {@link #existing} must not block, the others may do disk I/O and are called on the
   * request's blocking executor.
   */
  interface Engines {
    /** The scope the current request acts for. */
    String current();

    /** The running engine of {@code scope}, or null when it has none yet (no I/O). */
    AlertEngine existing(String scope);

    /** The engine of {@code scope}, started if needed. */
    AlertEngine engine(String scope);

    /** Reloads {@code scope}'s rule files; applied only when all are valid. */
    List<RuleFileResult> reload(String scope);

    /** The routing, receivers and inhibition of {@code scope}'s alerts (for backtests). */
    NotifierConfig notifier(String scope);

    /** An instant-query function over {@code scope}'s metrics only (for backtests). */
    QueryFunction query(String scope);
  }
}
