package dev.sextant.server.security;

import com.linecorp.armeria.common.Cookie;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantLimitException;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.query.http.Caller;
import dev.sextant.query.http.CrossSite;
import io.netty.util.AsciiString;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Runs before every service on every port: authenticates (when the policy is enabled), checks the
 * route's {@link Access}, binds the request to its tenant and makes sure that tenant's store is
 * open. With the policy disabled, anonymous callers read and ingest, and use admin routes only
 * when that was enabled. On the HTTP port, writes carried by a cookie or by no credential are
 * refused when a browser says another site's page sent them, and structured bodies must have
 * their own media type ({@link BodyTypes}, 415 otherwise). Refusals are 401 / 403 / 415 (gRPC:
 * UNAUTHENTICATED / PERMISSION_DENIED) and never reach the service.
 */
final class SecurityDecorator implements DecoratingHttpServiceFunction {
  static final AsciiString API_KEY = AsciiString.of("x-api-key");
  static final AsciiString SCOPE_ORG_ID = AsciiString.of("x-scope-orgid");

  private final AccessPolicy policy;
  private final SessionStore sessions;
  private final RouteRules rules;
  /** Null on a node without storage (a cluster collector): tenants' stores live elsewhere. */
  private final @Nullable TenantStorage tenants;
  private final boolean anonymousAdmin;
  private final InternalAuth internal;

  /**
   * {@code anonymousAdmin}: with the policy disabled, whether anonymous callers may use admin
   * routes too ({@code --enable-admin-api}); otherwise they may read and ingest only.
   */
  SecurityDecorator(AccessPolicy policy, SessionStore sessions, RouteRules rules,
      @Nullable TenantStorage tenants, boolean anonymousAdmin, InternalAuth internal) {
    this.policy = policy;
    this.sessions = sessions;
    this.rules = rules;
    this.tenants = tenants;
    this.anonymousAdmin = anonymousAdmin;
    this.internal = internal;
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
      throws Exception {
    RouteRules.Rule rule = rules.classify(ctx.localAddress().getPort(),
        ctx.config().route().patternString(), req.method());
    if (rule.access() == Access.INTERNAL) {
      // Another node of the cluster, never a user: the tenant is the call's own (the store's
      // read API reads it from its header), not bound here.
      String refusal = internal.refusal(req.headers().get(HttpHeaderNames.AUTHORIZATION));
      return refusal == null ? delegate.serve(ctx, req)
          : Refusals.unauthenticated(req, refusal);
    }
    Principal who;
    // A token in a header cannot be sent by another site's page without the browser asking
    // first (CORS); a cookie, or no credential at all, can.
    boolean browserCredential = true;
    if (policy.enabled()) {
      Credential c = credential(req);
      browserCredential = !c.header();
      if (c.presented() && c.principal() == null) {
        return Refusals.unauthenticated(req, c.header()
            ? "invalid token" : "session expired or unknown; log in again");
      }
      who = c.principal();
      if (who == null && rule.access() != Access.OPEN && rule.access() != Access.LIVENESS) {
        return Refusals.unauthenticated(req, "missing token: send 'Authorization: Bearer "
            + "<token>' or 'X-API-Key: <token>'");
      }
      if (who != null && !who.role().grants(rule.access())) {
        return Refusals.forbidden(req, "token '" + who.name() + "' has role "
            + who.role().key() + "; " + ctx.path() + " needs " + needs(rule.access()));
      }
    } else {
      String asked = req.headers().get(SCOPE_ORG_ID);
      String tenant = asked == null ? TenantContext.DEFAULT : asked.trim();
      if (!TenantContext.isValid(tenant)) {
        return Refusals.of(req, HttpStatus.BAD_REQUEST, "X-Scope-OrgID: " + asked
            + " (expected: 1-64 of [A-Za-z0-9._-], starting with a letter or digit)");
      }
      if (!anonymousAdmin && (rule.access() == Access.ADMIN
          || RouteRules.adminWhenAnonymous(ctx.config().route().patternString()))) {
        return Refusals.forbidden(req, req.method() + " " + ctx.path() + " is an admin action, "
            + "refused because authentication is off and the admin API is not enabled. Turn on "
            + "authentication (auth.enabled: true) and use an admin token, or, on a trusted "
            + "network only, start with --enable-admin-api (config auth.enableAdminApi: true, "
            + "env SEXTANT_ENABLE_ADMIN_API=true)");
      }
      who = new Principal("anonymous", anonymousAdmin ? Role.ADMIN : Role.READ, tenant);
    }
    if (browserCredential && rules.isBrowserFacing(ctx.localAddress().getPort())
        && isWrite(req.method()) && CrossSite.isCrossSite(req.headers())) {
      return Refusals.forbidden(req, "cross-site request refused: " + req.method() + " "
          + ctx.path() + " came from another site's page (Sec-Fetch-Site: "
          + req.headers().get(HttpHeaderNames.SEC_FETCH_SITE) + ", Origin: "
          + req.headers().get(HttpHeaderNames.ORIGIN) + "); use the Sextant UI itself, or "
          + "send a token in the Authorization header");
    }
    String wrongBody = BodyTypes.refusal(ctx.config().route().patternString(), req.method(),
        req.contentType());
    if (wrongBody != null && rules.isBrowserFacing(ctx.localAddress().getPort())) {
      return Refusals.of(req, HttpStatus.UNSUPPORTED_MEDIA_TYPE, wrongBody);
    }
    String tenant = who == null ? TenantContext.DEFAULT : who.tenant();
    if (rule.defaultTenantOnly() && !tenant.equals(TenantContext.DEFAULT)) {
      return Refusals.forbidden(req, ctx.path() + " belongs to the default tenant (it covers "
          + "the whole server); this request acts for '" + tenant + "'");
    }
    TenantContext.set(ctx, tenant);
    Caller.set(ctx, who == null ? "anonymous" : who.name());
    // The collector keys its rate limits on this header: make it the authenticated tenant.
    if (!tenant.equals(req.headers().get(SCOPE_ORG_ID))) {
      req = req.withHeaders(req.headers().toBuilder().set(SCOPE_ORG_ID, tenant));
      ctx.updateRequest(req);
    }
    boolean details = who != null && who.role().grants(Access.READ);
    return withTenantOpen(delegate, ctx, req, tenant, rule.access() == Access.LIVENESS && !details);
  }

  private HttpResponse withTenantOpen(HttpService delegate, ServiceRequestContext ctx,
      HttpRequest req, String tenant, boolean livenessOnly) throws Exception {
    TenantStorage tenants = this.tenants;
    if (tenants == null || tenants.isOpen(tenant)) {
      return serveChecked(delegate, ctx, req, livenessOnly);
    }
    // Opening a store is disk I/O: never on the event loop.
    HttpRequest r = req;
    CompletableFuture<HttpResponse> f = CompletableFuture.supplyAsync(() -> {
      try {
        tenants.forTenant(tenant);
        return null;
      } catch (TenantLimitException e) {
        return Refusals.forbidden(r, e.getMessage());
      }
    }, ctx.blockingTaskExecutor()).thenApplyAsync(refused -> {
      if (refused != null) {
        return refused;
      }
      try {
        return serveChecked(delegate, ctx, r, livenessOnly);
      } catch (Exception e) {
        return HttpResponse.ofFailure(e);
      }
    }, ctx.eventLoop());
    return HttpResponse.of(f);
  }

  private HttpResponse serveChecked(HttpService delegate, ServiceRequestContext ctx,
      HttpRequest req, boolean livenessOnly) throws Exception {
    if (rules.isOtlpHttp(ctx.localAddress().getPort()) && !livenessOnly) {
      // The OTLP HTTP receiver stores from its body-aggregation callback, which Armeria may run
      // without the request context, and then the store could not tell the tenant. Buffer the
      // body here and call it from inside the context, where the stored body completes at once.
      return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
        try {
          return delegate.serve(ctx, agg.toHttpRequest(req.headers()));
        } catch (Exception e) {
          return HttpResponse.ofFailure(e);
        }
      }, ctx.eventLoop()));
    }
    HttpResponse res = delegate.serve(ctx, req);
    if (!livenessOnly) {
      return res;
    }
    // Without credentials /health says up or down, nothing about disks, heap or storage.
    return HttpResponse.of(res.aggregate().thenApply(agg -> HttpResponse.of(agg.status(),
        MediaType.JSON_UTF_8, "{\"status\":\""
            + (HttpStatus.OK.equals(agg.status()) ? "healthy" : "unhealthy") + "\"}")));
  }

  private record Credential(boolean presented, boolean header, Principal principal) {}

  @SuppressWarnings("ReferenceEquality") // both headers must name the same configured entry
  private Credential credential(HttpRequest req) {
    String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    String key = req.headers().get(API_KEY);
    if (auth != null || key != null) {
      String token = key;
      if (auth != null) {
        int sp = auth.indexOf(' ');
        boolean bearer = sp > 0 && auth.substring(0, sp).equalsIgnoreCase("bearer");
        token = bearer ? auth.substring(sp + 1).trim() : null;
      }
      Principal p = policy.authenticate(token);
      // Both headers must agree when both are sent; otherwise one could hide the other.
      if (p != null && auth != null && key != null && policy.authenticate(key) != p) {
        p = null;
      }
      return new Credential(true, true, p);
    }
    for (Cookie c : req.headers().cookies()) {
      if (c.name().equals(SessionStore.COOKIE)) {
        Principal p = sessions.get(c.value());
        // A stale cookie must not lock the browser out of the open routes.
        return new Credential(p != null, false, p);
      }
    }
    return new Credential(false, false, null);
  }

  /** Methods that may change state; GET, HEAD and OPTIONS must not. */
  private static boolean isWrite(HttpMethod m) {
    return m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
  }

  private static String needs(Access a) {
    return switch (a) {
      case INGEST -> "role ingest or admin";
      case READ -> "role read or admin";
      default -> "role admin";
    };
  }
}
