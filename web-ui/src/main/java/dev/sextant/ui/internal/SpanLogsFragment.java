package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /ui/traces/{traceId}/logs?spanId=...}: the log lines of one span as an HTML fragment,
 * which the waterfall's span panel inserts as is.
 */
public final class SpanLogsFragment extends Page {
  private final LogReader logs;

  public SpanLogsFragment(Templates templates, LogReader logs) {
    super(templates);
    this.logs = logs;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    String traceId = TracePage.traceId(ctx);
    LogPage page = logs.search(LogQuery.builder().traceId(traceId).spanId(p.str("spanId"))
        .limit(TracePage.MAX_TRACE_LOGS).build());
    Map<String, Object> scope = new HashMap<>();
    scope.put("logs", LogLines.of(page.records()));
    scope.put("empty", page.records().isEmpty());
    return templates.page(HttpStatus.OK, "span-logs", scope);
  }
}
