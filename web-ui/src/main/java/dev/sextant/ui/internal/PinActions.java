package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.http.Caller;
import dev.sextant.query.http.CrossSite;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import dev.sextant.storage.Storage;

/**
 * The pin forms: {@code POST /ui/pins} (traceId or correlationId, incidentId, reason) pins for
 * the signed-in caller, {@code POST /ui/pins/{id}/unpin} unpins. Both answer with a redirect to
 * the pinned list (303), so reloading never re-submits; a bad field comes back as its message.
 * Requests from another site are refused (403), as the silence forms' are.
 */
public final class PinActions implements HttpService {
  private final Storage storage;
  private final boolean unpin;

  public PinActions(Storage storage, boolean unpin) {
    this.storage = storage;
    this.unpin = unpin;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (CrossSite.isCrossSite(req.headers())) {
      return HttpResponse.of(HttpStatus.FORBIDDEN, MediaType.PLAIN_TEXT_UTF_8,
          "cross-site form posts are refused");
    }
    String who = Caller.name(ctx);
    return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
      try {
        if (unpin) {
          String id = ctx.pathParam("id");
          return seeOther(storage.pins().unpin(id) ? "/ui/pins?unpinned=" + Formats.url(id)
              : "/ui/pins?error=" + Formats.url("id: " + id + " (expected: a pinned id)"));
        }
        QueryParams form = QueryParams.fromQueryString(agg.contentUtf8());
        Pin p = storage.pins().pin(new PinRequest(form.get("traceId", "").trim(),
            form.get("correlationId", "").trim(), form.get("incidentId", "").trim(),
            form.get("reason", "").trim(), who), System.currentTimeMillis());
        return seeOther("/ui/pins?pinned=" + Formats.url(p.id()));
      } catch (IllegalArgumentException | Pins.PinLimitException
          | UnsupportedOperationException e) {
        return seeOther("/ui/pins?error=" + Formats.url(String.valueOf(e.getMessage())));
      }
    }, ctx.blockingTaskExecutor()));
  }

  private static HttpResponse seeOther(String location) {
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.SEE_OTHER, HttpHeaderNames.LOCATION,
        location));
  }
}
