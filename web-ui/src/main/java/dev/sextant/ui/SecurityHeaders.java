package dev.sextant.ui;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

/**
 * Browser hardening headers on every answer, meant to decorate a whole server once (so a route
 * added later gets them too):
 *
 * <ul>
 *   <li>{@code Content-Security-Policy}: HTML pages may load scripts, styles, images and data
 *       only from the server itself ({@value #PAGE_CSP}; inline {@code style} attributes stay
 *       allowed because the pages colour services with them, inline script does not); every
 *       other answer gets {@value #DATA_CSP}. An answer that already has a policy (the
 *       playbook pages' stricter one) keeps it, with {@code frame-ancestors 'none'} added.
 *   <li>{@code X-Frame-Options: DENY} and {@code frame-ancestors 'none'}: no page may be framed
 *       (clickjacking of the silence forms).
 *   <li>{@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: same-origin} (trace
 *       IDs and queries in URLs never leak to other sites; same-origin form posts keep their
 *       {@code Origin}).
 *   <li>{@code Cache-Control: no-store} on everything except static assets under
 *       {@code /static/} and {@code /favicon.ico}, which keep their own caching: pages and API
 *       answers hold data that must not stay in shared or browser caches.
 * </ul>
 *
 * <p>gRPC answers are left alone: they are not for browsers.
 */
public final class SecurityHeaders implements DecoratingHttpServiceFunction {
  /** The policy of HTML answers. */
  public static final String PAGE_CSP = "default-src 'self'; script-src 'self'; "
      + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; "
      + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  /** The policy of every other answer (JSON, text, metrics): nothing may run or load. */
  public static final String DATA_CSP = "default-src 'none'; frame-ancestors 'none'; "
      + "sandbox";

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    MediaType asked = req.contentType();
    if (asked != null && asked.subtype().startsWith("grpc")) {
      return delegate.serve(ctx, req);
    }
    boolean asset = isAsset(ctx.path());
    return delegate.serve(ctx, req).mapHeaders(h -> harden(h, asset));
  }

  /** Static assets: immutable per release, so they may be cached. */
  static boolean isAsset(String path) {
    return path.startsWith("/static/") || path.equals("/favicon.ico");
  }

  private static ResponseHeaders harden(ResponseHeaders h, boolean asset) {
    if (h.status().isInformational()) {
      return h;
    }
    MediaType type = h.contentType();
    boolean html = type != null && type.is(MediaType.ANY_TEXT_TYPE)
        && type.subtype().equals("html");
    // A route that set its own (stricter) policy keeps it, framing forbidden all the same.
    String own = h.get(HttpHeaderNames.CONTENT_SECURITY_POLICY);
    String csp = own == null ? (html ? PAGE_CSP : DATA_CSP)
        : own.contains("frame-ancestors") ? own : own + "; frame-ancestors 'none'";
    ResponseHeadersBuilder b = h.toBuilder()
        .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, csp)
        .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
        .set(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
        .set(HttpHeaderNames.REFERRER_POLICY, "same-origin");
    if (!asset) {
      b.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    }
    return b.build();
  }
}
