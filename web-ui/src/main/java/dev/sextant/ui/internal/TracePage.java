package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /ui/traces/{traceId}}: the waterfall shell and the trace's logs. The waterfall itself is
 * drawn by {@code waterfall.js} from {@code /api/traces/{traceId}}, so a 10,000-span trace costs the
 * server one JSON document and the browser only the rows in view.
 */
public final class TracePage extends Page {
  static final int MAX_TRACE_LOGS = 200;
  private final LogReader logs;

  public TracePage(Templates templates, LogReader logs) {
    super(templates);
    this.logs = logs;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    String traceId = traceId(ctx);
    Map<String, Object> scope = Templates.scope("Trace " + traceId, "search");
    scope.put("traceId", traceId);
    LogPage page = logs.search(LogQuery.builder().traceId(traceId).limit(MAX_TRACE_LOGS).build());
    scope.put("logs", LogLines.of(page.records()));
    scope.put("logCount", page.records().size() + (page.hasMore() ? "+" : ""));
    scope.put("moreLogsLink", page.hasMore() ? "/ui/logs?traceId=" + traceId + "&lookback=all"
        : null);
    return templates.page(HttpStatus.OK, "trace", scope);
  }

  static String traceId(ServiceRequestContext ctx) {
    String id = ctx.pathParam("traceId");
    if (id == null || !Ids.isValidTraceId(id)) {
      throw new IllegalArgumentException("traceId: " + id + " (expected: 32 hex characters)");
    }
    return id.toLowerCase(Locale.ROOT);
  }
}
