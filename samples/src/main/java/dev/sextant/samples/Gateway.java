package dev.sextant.samples;

import dev.sextant.samples.internal.Args;
import dev.sextant.samples.internal.Call;
import dev.sextant.samples.internal.Downstream;
import dev.sextant.samples.internal.HttpApp;
import dev.sextant.samples.internal.RateLimiter;
import dev.sextant.samples.internal.Reply;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

/**
 * The edge: {@code /api/users/*} to users, {@code /api/orders/*} to orders, each request first
 * through its API key's token bucket ({@code X-API-Key}; tiers free, basic, premium). Unknown key:
 * 401; over the limit: 429 with {@code Retry-After}. Answers carry {@code X-Correlation-ID}.
 */
final class Gateway {
  static final String DEFAULT_TIERS = "free=1/3,basic=10/20,premium=50/100";
  static final String DEFAULT_KEYS =
      "demo-free-key=free,demo-basic-key=basic,demo-premium-key=premium";

  private final RateLimiter limiter;
  private final Downstream users;
  private final Downstream orders;
  private final Counter limited;

  Gateway(Args args, ShopService shop) {
    this.limiter = new RateLimiter(args.string("tiers", DEFAULT_TIERS),
        args.string("api-keys", DEFAULT_KEYS), System::nanoTime);
    Duration timeout = args.duration("timeout", Duration.ofSeconds(10));
    this.users = new Downstream(args.required("users"), timeout);
    this.orders = new Downstream(args.required("orders"), timeout);
    this.limited = Counter.builder().name("gateway_rate_limited_total")
        .help("Requests refused with 429, by tier").labelNames("tier").withoutExemplars()
        .register(shop.metrics().registry());
    HttpApp app = shop.app();
    app.route("GET", "/api/users/{id}", c -> forward(c, users, "/users/" + c.param("id")));
    app.route("POST", "/api/orders", c -> forward(c, orders, "/orders"));
    app.route("GET", "/api/orders/{id}", c -> forward(c, orders, "/orders/" + c.param("id")));
  }

  private Reply forward(Call call, Downstream target, String path) throws InterruptedException {
    String correlationId = correlationId(call);
    RateLimiter.Decision d = limiter.check(call.header("X-API-Key"));
    Reply reply;
    if (d.tier() == null) {
      reply = Reply.error(401, "X-API-Key: missing or unknown (expected: a key of tier "
          + "free, basic or premium)");
    } else {
      Span.current().setAttribute("shop.tier", d.tier().name());
      if (!d.allowed()) {
        limited.labelValues(d.tier().name()).inc();
        reply = Reply.error(429, "rate limit of tier " + d.tier().name() + " exceeded ("
            + d.tier().ratePerSecond() + "/s, burst " + (long) d.tier().burst() + ")")
            .header("Retry-After", Long.toString(d.retryAfterSeconds()));
      } else {
        try {
          reply = target.send(call.method(), path, call.body(), call.header("Content-Type"));
        } catch (IOException e) {
          reply = Reply.error(502, "upstream " + path + " unreachable: " + e);
        }
      }
    }
    return reply.header("X-Correlation-ID", correlationId);
  }

  /** The agent puts the caller's ID (or one it made up at the edge) in baggage. */
  private static String correlationId(Call call) {
    String id = Baggage.current().getEntryValue("correlation_id");
    if (id == null) {
      id = call.header("X-Correlation-ID");
    }
    return id != null ? id : UUID.randomUUID().toString();
  }
}
