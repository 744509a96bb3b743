package dev.sextant.query.http;

import com.linecorp.armeria.common.RequestContext;
import io.netty.util.AttributeKey;

/**
 * Who sent a request, as the server's security decorator authenticated it (a token's or
 * session's name, {@code anonymous} without authentication), for routes that record who acted,
 * such as pins. Routes served without the decorator (tests, embedding) see {@code anonymous}.
 */
public final class Caller {
  private static final AttributeKey<String> NAME = AttributeKey.valueOf(Caller.class, "name");

  private Caller() {}

  /** Records the caller's name on the request. */
  public static void set(RequestContext ctx, String name) {
    ctx.setAttr(NAME, name);
  }

  /** The caller's name, {@code anonymous} when none was recorded. */
  public static String name(RequestContext ctx) {
    String n = ctx.attr(NAME);
    return n == null ? "anonymous" : n;
  }
}
