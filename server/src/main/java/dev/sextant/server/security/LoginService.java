package dev.sextant.server.security;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Route;
import dev.sextant.query.http.RoutedService;

/**
 * {@code /login}: a form that takes a read or admin token and starts a server-side session whose
 * random id goes into a {@code Secure; HttpOnly; SameSite=Strict} cookie. {@code /logout} ends
 * it. Ingest tokens cannot log in: they are for exporters, not people.
 */
final class LoginService {
  static final String LOGIN = "/login";
  static final String LOGOUT = "/logout";

  private final AccessPolicy policy;
  private final SessionStore sessions;

  LoginService(AccessPolicy policy, SessionStore sessions) {
    this.policy = policy;
    this.sessions = sessions;
  }

  /** {@code /login} and {@code /logout}, to mount on the HTTP port. */
  RoutedService service() {
    return RoutedService.builder()
        .service(Route.builder().path(LOGIN).methods(HttpMethod.GET, HttpMethod.HEAD).build(),
            (ctx, req) -> page(HttpStatus.OK, safeNext(ctx.queryParam("next")), null))
        .service(Route.builder().path(LOGIN).methods(HttpMethod.POST).build(),
            (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(this::login)))
        .service(Route.builder().path(LOGOUT).methods(HttpMethod.GET, HttpMethod.POST).build(),
            (ctx, req) -> {
              for (Cookie c : req.headers().cookies()) {
                if (c.name().equals(SessionStore.COOKIE)) {
                  sessions.remove(c.value());
                }
              }
              return redirect(LOGIN, cookie("", 0));
            })
        .build();
  }

  private HttpResponse login(AggregatedHttpRequest agg) {
    QueryParams form = QueryParams.fromQueryString(agg.contentUtf8());
    String next = safeNext(form.get("next"));
    Principal p = policy.authenticate(form.get("token"));
    if (p == null) {
      return page(HttpStatus.UNAUTHORIZED, next, "That token is not valid.");
    }
    if (!p.role().grants(Access.READ)) {
      return page(HttpStatus.FORBIDDEN, next,
          "Token '" + p.name() + "' has role ingest; the UI needs read or admin.");
    }
    String id = sessions.create(p);
    return redirect(next, cookie(id, sessions.ttlSeconds()));
  }

  private static Cookie cookie(String value, long maxAgeSeconds) {
    // Secure even on plain HTTP: browsers still keep it for http://localhost, and nowhere else
    // should a session travel without TLS.
    return Cookie.secureBuilder(SessionStore.COOKIE, value).path("/")
        .maxAge(maxAgeSeconds).sameSite("Strict").build();
  }

  private static HttpResponse redirect(String location, Cookie cookie) {
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SEE_OTHER)
        .set(HttpHeaderNames.LOCATION, location)
        .cookie(cookie).build());
  }

  /** Only a local path: {@code //evil.example} or {@code https://...} would be an open redirect. */
  static String safeNext(String next) {
    if (next == null || !next.startsWith("/") || next.startsWith("//")
        || next.contains("\\") || next.startsWith(LOGIN) || next.startsWith(LOGOUT)
        || !next.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      return "/ui";
    }
    return next;
  }

  private static HttpResponse page(HttpStatus status, String next, String error) {
    String html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sextant: log in"
        + "</title><style>body{font-family:sans-serif;max-width:26em;margin:4em auto}"
        + "input{width:100%;padding:.4em;margin:.4em 0}.err{color:#b00}</style></head><body>"
        + "<h1>Sextant</h1>"
        + (error == null ? "" : "<p class=\"err\">" + escape(error) + "</p>")
        + "<form method=\"post\" action=\"" + LOGIN + "\">"
        + "<label>Token <input type=\"password\" name=\"token\" autocomplete=\"off\" autofocus>"
        + "</label><input type=\"hidden\" name=\"next\" value=\"" + escape(next) + "\">"
        + "<input type=\"submit\" value=\"Log in\"></form></body></html>";
    return HttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.HTML_UTF_8)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store").build(), HttpData.ofUtf8(html));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;").replace("'", "&#39;");
  }
}
