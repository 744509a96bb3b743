package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Pin;
import dev.sextant.storage.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /ui/pins}: the pinned set of the request's tenant (traces and log lines kept past
 * retention), with each pin's incident, reason, who pinned it and when it expires, and an unpin
 * button ({@link PinActions}).
 */
public final class PinsPage extends Page {
  private final Storage storage;

  public PinsPage(Templates templates, Storage storage) {
    super(templates);
    this.storage = storage;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    Map<String, Object> scope = Templates.scope("Pinned evidence", "pins");
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      for (Pin pin : storage.pins().list()) {
        rows.add(row(pin));
      }
    } catch (UnsupportedOperationException e) {
      scope.put("unsupported", e.getMessage());
    }
    scope.put("pins", rows);
    scope.put("empty", rows.isEmpty());
    scope.put("pinned", emptyToNull(p.str("pinned")));
    scope.put("unpinned", emptyToNull(p.str("unpinned")));
    scope.put("error", emptyToNull(p.str("error")));
    return templates.page(HttpStatus.OK, "pins", scope);
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  static Map<String, Object> row(Pin pin) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", pin.id());
    if (!pin.traceId().isEmpty()) {
      m.put("what", "trace " + pin.traceId());
      m.put("href", "/ui/traces/" + pin.traceId());
    } else {
      m.put("what", "logs of correlation ID " + pin.correlationId());
      m.put("href", "/ui/logs?correlationId=" + Formats.url(pin.correlationId())
          + "&lookback=all");
    }
    m.put("incident", pin.incidentId().isEmpty() ? "—" : pin.incidentId());
    m.put("reason", pin.reason());
    m.put("pinnedBy", pin.pinnedBy());
    m.put("pinnedAt", Formats.time(pin.createdAtMillis() * 1_000_000L));
    m.put("copied", pin.spans() + " spans, " + pin.logs() + " log lines");
    m.put("expires", pin.expiresAtMillis() != 0
        ? Instant.ofEpochMilli(pin.expiresAtMillis()).toString()
        : pin.incidentId().isEmpty() ? "when unpinned"
            : "once the incident resolves, plus the keep time");
    return m;
  }
}
