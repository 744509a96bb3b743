package dev.sextant.query.http;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.RequestHeaders;

/**
 * Tells whether a browser sent a request from a page of another site, the way Go's
 * {@code http.CrossOriginProtection} does: {@code Sec-Fetch-Site} when the browser sends it
 * (every current browser does), else {@code Origin} compared with {@code Host}. A request with
 * neither header is not a browser's cross-site request (curl, exporters, Grafana's backend).
 */
public final class CrossSite {
  private CrossSite() {}

  /**
   * True when {@code headers} show a request started by another site's page: {@code
   * Sec-Fetch-Site} {@code cross-site} or {@code same-site} (a sibling subdomain is another
   * origin), or, without it, an {@code Origin} (including {@code null}, an opaque origin such as
   * a sandboxed frame) whose host and port differ from {@code Host}. {@code same-origin} and
   * {@code none} (typed in the address bar, a bookmark) are not cross-site.
   */
  public static boolean isCrossSite(RequestHeaders headers) {
    String site = headers.get(HttpHeaderNames.SEC_FETCH_SITE);
    if (site != null) {
      return !site.equals("same-origin") && !site.equals("none");
    }
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    if (origin == null) {
      return false;
    }
    String host = headers.get(HttpHeaderNames.HOST, headers.authority());
    if (origin.equals("null") || host == null) {
      return true;
    }
    return !origin.replaceFirst("^[A-Za-z][A-Za-z0-9+.-]*://", "").equalsIgnoreCase(host);
  }
}
