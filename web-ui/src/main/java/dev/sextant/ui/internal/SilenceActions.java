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
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.notify.Matchers;
import dev.sextant.alert.notify.Silence;
import dev.sextant.query.Durations;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.query.http.CrossSite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The alerts page's forms: {@code POST /ui/alerts/silences} (matchers, duration, createdBy,
 * comment) creates a silence starting now, {@code POST /ui/alerts/silences/{id}/expire} ends one.
 * Both answer with a redirect back to the page (303), so reloading never re-submits; a bad field
 * returns to the form with the message and what was typed. Requests from another site are refused
 * (403): a page elsewhere must not be able to silence alerts in a logged-in browser.
 */
public final class SilenceActions implements HttpService {
  static final Duration MAX_DURATION = Duration.ofDays(90);
  private final Supplier<AlertEngine> engines;
  private final boolean expire;

  /**
   * {@code engines} gives the alert engine of the request being served (called on the request's
   * blocking executor, inside its context); null, or a null engine, means alerting is off.
   */
  public SilenceActions(Supplier<AlertEngine> engines, boolean expire) {
    this.engines = engines;
    this.expire = expire;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    // The server refuses these before they get here; a UI served on its own relies on this.
    if (CrossSite.isCrossSite(req.headers())) {
      return HttpResponse.of(HttpStatus.FORBIDDEN, MediaType.PLAIN_TEXT_UTF_8,
          "cross-site form posts are refused");
    }
    if (engines == null) {
      return notConfigured();
    }
    return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
      AlertEngine engine = engines.get();
      if (engine == null) {
        return notConfigured();
      }
      if (expire) {
        String id = ctx.pathParam("id");
        boolean done = engine.silences().expire(id);
        return seeOther("/ui/alerts?" + (done ? "expired=" : "error=silence+not+found+or+"
            + "already+expired%3A+") + Formats.url(id) + "#silences");
      }
      QueryParams form = QueryParams.fromQueryString(agg.contentUtf8());
      String matchers = form.get("matchers", "").trim();
      String duration = form.get("duration", "").trim();
      String by = form.get("createdBy", "").trim();
      String comment = form.get("comment", "").trim();
      try {
        Silence s = engine.silences().add(silence(matchers, duration, by, comment));
        return seeOther("/ui/alerts?created=" + Formats.url(s.id()) + "#silences");
      } catch (IllegalArgumentException e) {
        QueryParams back = QueryParams.builder().add("silence", matchers.isEmpty() ? " " : matchers)
            .add("duration", duration).add("createdBy", by).add("comment", comment)
            .add("error", e.getMessage()).build();
        return seeOther("/ui/alerts?" + back.toQueryString() + "#new-silence");
      }
    }, ctx.blockingTaskExecutor()));
  }

  private static HttpResponse notConfigured() {
    return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.PLAIN_TEXT_UTF_8,
        "alerting is not configured on this server");
  }

  /**
   * A silence of {@code matchers} (Alertmanager syntax, comma-separated) from now for
   * {@code duration}.
   *
   * @throws IllegalArgumentException naming the bad field
   */
  static Silence silence(String matchers, String duration, String by, String comment) {
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("matchers: empty (expected: e.g. alertname=\"X\")");
    }
    List<String> list = new ArrayList<>();
    try {
      list.addAll(Matchers.parse(matchers).stream()
          .map(m -> m.name() + m.type().op() + "\"" + m.value().replace("\\", "\\\\")
              .replace("\"", "\\\"") + "\"").toList());
    } catch (InvalidRegexException e) {
      // Not RE2 (lookaround, backreferences) or over the limits: say what is wrong with it.
      throw new IllegalArgumentException("matchers: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("matchers: " + matchers
          + " (expected: name=\"value\", name=~\"regex\", separated by commas)");
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException("matchers: empty (expected: e.g. alertname=\"X\")");
    }
    Duration d = Durations.parse("duration", duration.isEmpty() ? "2h" : duration);
    if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "duration: " + duration + " (expected: between 1m and " + MAX_DURATION.toDays() + "d)");
    }
    Instant now = Instant.now();
    return new Silence("", list, now, now.plus(d), by.isEmpty() ? "web-ui" : by, comment);
  }

  private static HttpResponse seeOther(String location) {
    return HttpResponse.of(ResponseHeaders.of(HttpStatus.SEE_OTHER, HttpHeaderNames.LOCATION,
        location));
  }
}
