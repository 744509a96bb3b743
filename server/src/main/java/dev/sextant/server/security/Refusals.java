package dev.sextant.server.security;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.sextant.query.JsonErrors;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Refusals in the caller's own protocol: gRPC status in a trailers-only response for gRPC
 * clients, a page that leads to the login form for browsers, JSON errors for everyone else.
 */
final class Refusals {
  private static final String CHALLENGE = "Bearer realm=\"sextant\"";

  private Refusals() {}

  static HttpResponse unauthenticated(HttpRequest req, String message) {
    if (isGrpc(req)) {
      return grpc(16, message); // UNAUTHENTICATED
    }
    if (wantsHtml(req)) {
      String next = URLEncoder.encode(req.path(), StandardCharsets.UTF_8);
      String page = "<!doctype html><html><head><title>Sextant: log in</title>"
          + "<meta http-equiv=\"refresh\" content=\"0;url=/login?next=" + next + "\"></head>"
          + "<body><p>Authentication required. <a href=\"/login?next=" + next
          + "\">Log in</a></p></body></html>";
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.UNAUTHORIZED)
          .contentType(MediaType.HTML_UTF_8)
          .set(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE).build(),
          HttpData.ofUtf8(page));
    }
    return withChallenge(JsonErrors.of(HttpStatus.UNAUTHORIZED, message));
  }

  static HttpResponse forbidden(HttpRequest req, String message) {
    if (!isGrpc(req) && wantsHtml(req)) {
      // A browser's form post: a page saying why, not raw JSON.
      String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Sextant: "
          + "forbidden</title></head><body><h1>Forbidden</h1><p>" + escape(message)
          + "</p><p><a href=\"/ui/alerts\">Back to the alerts page</a></p></body></html>";
      return HttpResponse.of(HttpStatus.FORBIDDEN, MediaType.HTML_UTF_8, page);
    }
    return of(req, HttpStatus.FORBIDDEN, message);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  static HttpResponse of(HttpRequest req, HttpStatus status, String message) {
    if (isGrpc(req)) {
      // PERMISSION_DENIED or INVALID_ARGUMENT
      return grpc(HttpStatus.FORBIDDEN.equals(status) ? 7 : 3, message);
    }
    return JsonErrors.of(status, message);
  }

  private static HttpResponse withChallenge(HttpResponse res) {
    return res.mapHeaders(h -> h.toBuilder().set(HttpHeaderNames.WWW_AUTHENTICATE, CHALLENGE)
        .build());
  }

  static boolean isGrpc(HttpRequest req) {
    MediaType t = req.contentType();
    return t != null && t.subtype().startsWith("grpc") && t.type().equals("application");
  }

  private static boolean wantsHtml(HttpRequest req) {
    String accept = req.headers().get(HttpHeaderNames.ACCEPT);
    return accept != null && accept.contains("text/html");
  }

  private static HttpResponse grpc(int code, String message) {
    // Trailers-only: HTTP 200 with grpc-status in the only header block, as gRPC requires.
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK)
        .contentType(MediaType.parse("application/grpc+proto"))
        .set("grpc-status", Integer.toString(code))
        .set("grpc-message", percentEncode(message))
        .build());
  }

  private static String percentEncode(String s) {
    StringBuilder b = new StringBuilder();
    for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
      if (c >= 0x20 && c < 0x7f && c != '%') {
        b.append((char) c);
      } else {
        b.append('%').append(String.format("%02X", c & 0xff));
      }
    }
    return b.toString();
  }
}
