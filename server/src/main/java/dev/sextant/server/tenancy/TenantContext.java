package dev.sextant.server.tenancy;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.util.AttributeKey;
import java.util.regex.Pattern;

/**
 * The tenant a request acts for, kept as an attribute of its Armeria {@link RequestContext}. The
 * security decorator sets it on every request before any service runs; {@link TenantStorage}
 * reads it to pick the tenant's store.
 */
public final class TenantContext {
  /** The tenant of requests that name none, and of the server's own work (rules, scraping). */
  public static final String DEFAULT = "default";

  private static final AttributeKey<String> TENANT =
      AttributeKey.valueOf(TenantContext.class, "tenant");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private TenantContext() {}

  /** Whether {@code name} can be a tenant: 1-64 of {@code [A-Za-z0-9._-]}, starting alphanumeric. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** Checks a tenant name from config; {@code field} names it in the error. */
  public static String checkName(String field, String name) {
    if (!isValid(name)) {
      throw new IllegalArgumentException(field + ": " + name
          + " (expected: 1-64 of [A-Za-z0-9._-], starting with a letter or digit)");
    }
    return name;
  }

  /** Binds {@code ctx} to {@code tenant}. */
  public static void set(RequestContext ctx, String tenant) {
    requireNonNull(ctx, "ctx");
    ctx.setAttr(TENANT, checkName("tenant", tenant));
  }

  /** The tenant bound to {@code ctx}, or null when none was bound. */
  public static String get(RequestContext ctx) {
    return ctx.attr(TENANT);
  }

  /**
   * The current tenant: the one bound to the current request, or {@link #DEFAULT} outside any
   * request (the server's own work). Inside a request that has no tenant it throws rather than
   * guess, so a route that escaped the decorator fails closed instead of reading another
   * tenant's data.
   */
  public static String current() {
    RequestContext current = RequestContext.currentOrNull();
    // A client context without a server request above it is the server's own outbound call
    // (scraping, paging): that work belongs to the default tenant.
    ServiceRequestContext ctx = current == null ? null : current.root();
    if (ctx == null) {
      return DEFAULT;
    }
    String t = ctx.attr(TENANT);
    if (t == null) {
      throw new IllegalStateException("request " + ctx.path() + " has no tenant "
          + "(expected: every route behind the security decorator)");
    }
    return t;
  }
}
