package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /ui/logs}: full-text log search with filters; each line links to its trace. */
public final class LogsPage extends Page {
  // The attribute keys the collector takes a log's correlation ID from.
  private static final List<String> CORRELATION_KEYS =
      List.of("correlation_id", "correlation.id", "http.request.header.x-correlation-id");
  private static final int MAX_CORRELATED_TRACES = 20;
  private final LogReader logs;
  private final SpanSearch search;

  public LogsPage(Templates templates, LogReader logs, SpanSearch search) {
    super(templates);
    this.logs = logs;
    this.search = search;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Logs", "logs");
    String service = p.str("service");
    String lookback = p.str("lookback").isEmpty() ? "1h" : p.str("lookback");
    scope.put("q", p.str("q"));
    scope.put("traceId", p.str("traceId"));
    scope.put("spanId", p.str("spanId"));
    scope.put("correlationId", p.str("correlationId"));
    scope.put("lookbacks", Lookback.options(lookback));
    scope.put("services", ServicesPage.options(search.services(), service));
    try {
      int severity = p.integer("severity", 0, 0, LogRecord.MAX_SEVERITY);
      scope.put("severities", LogLines.severityOptions(severity));
      LogPage page = logs.search(LogQuery.builder()
          .text(p.str("q"))
          .serviceName(service)
          .minSeverity(severity)
          .traceId(p.str("traceId"))
          .spanId(p.str("spanId"))
          .correlationId(p.str("correlationId"))
          .timeRange(Lookback.fromUnixNano(lookback), Long.MAX_VALUE)
          .limit(p.integer("limit", LogQuery.DEFAULT_LIMIT, 1, 1000))
          .cursor(p.str("cursor"))
          .build());
      if (!p.str("correlationId").isEmpty()) {
        List<Map<String, Object>> traces = correlatedTraces(p.str("correlationId"));
        scope.put("correlatedTraces", traces);
        scope.put("hasCorrelatedTraces", !traces.isEmpty());
      }
      scope.put("logs", LogLines.of(page.records()));
      scope.put("count", page.records().size());
      scope.put("empty", page.records().isEmpty());
      if (page.hasMore()) {
        // Same URL, next page: every state stays in the link.
        QueryParams next = QueryParams.fromQueryString(ctx.query() == null ? "" : ctx.query())
            .toBuilder().set("cursor", page.nextCursor()).build();
        scope.put("nextLink", "/ui/logs?" + next.toQueryString());
      }
      return templates.page(HttpStatus.OK, "logs", scope);
    } catch (IllegalArgumentException e) {
      scope.putIfAbsent("severities", LogLines.severityOptions(0));
      scope.put("error", e.getMessage());
      return templates.page(HttpStatus.BAD_REQUEST, "logs", scope);
    }
  }

  /** Traces whose spans carry the correlation ID under any key the collector reads it from. */
  private List<Map<String, Object>> correlatedTraces(String correlationId) {
    Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
    for (String key : CORRELATION_KEYS) {
      for (TraceSummary t : search.search(TraceQuery.builder().attribute(key, correlationId)
          .limit(MAX_CORRELATED_TRACES).build())) {
        byId.putIfAbsent(t.traceId(), Map.of("traceId", t.traceId(),
            "rootService", t.rootServiceName(), "rootColor", Formats.color(t.rootServiceName()),
            "rootName", t.rootSpanName(), "start", Formats.time(t.startUnixNano()),
            "duration", Formats.duration(t.durationNanos()), "hasErrors", t.errorCount() > 0));
      }
    }
    return new ArrayList<>(byId.values());
  }
}
