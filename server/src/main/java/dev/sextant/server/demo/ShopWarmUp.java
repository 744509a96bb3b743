package dev.sextant.server.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shop's first requests, sent before the load generator starts, leaves first. A cold shop
 * JVM answers its first calls slowly (the agent instruments each class as it loads, the JIT has
 * compiled nothing, the database pool opens); a create-order crosses four cold services, which on
 * a busy machine outlasts the callers' 10 s downstream timeouts: the gateway answers 502s and
 * ShopHighErrorRate pages before any fault. Warming users, inventory and payments directly, then
 * orders, then the gateway, no call ever waits on a cold downstream. Errors here are only
 * printed: the demo goes on either way.
 */
final class ShopWarmUp {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
  private static final int ATTEMPTS = 3;
  private static final String CARD = "4242424242424242";
  private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpClient http;
  private final PrintStream out;

  ShopWarmUp(HttpClient http, PrintStream out) {
    this.http = http;
    this.out = out;
  }

  /** {@code urls}: base URL of each service by name. Each path twice: the second run is fast. */
  void run(Map<String, String> urls) throws InterruptedException {
    for (int round = 0; round < 2; round++) {
      call(urls.get("users"), "GET", "/users/1", null);
      call(urls.get("inventory"), "POST", "/inventory/reserve",
          "{\"sku\":\"sextant\",\"quantity\":1}");
      call(urls.get("payments"), "POST", "/payments/charge",
          "{\"orderId\":\"warm-up\",\"amountCents\":100,\"card\":\"" + CARD + "\"}");
      String order = call(urls.get("orders"), "POST", "/orders", newOrder());
      if (order != null) {
        call(urls.get("orders"), "GET", "/orders/" + order, null);
      }
      call(urls.get("gateway"), "GET", "/api/users/1", null);
      order = call(urls.get("gateway"), "POST", "/api/orders", newOrder());
      if (order != null) {
        call(urls.get("gateway"), "GET", "/api/orders/" + order, null);
      }
    }
  }

  private static String newOrder() {
    return "{\"userId\":1,\"sku\":\"sextant\",\"quantity\":1,\"card\":\"" + CARD + "\"}";
  }

  /** The order ID in a successful answer (or null); retries a 5xx or a failed call. */
  private String call(String base, String method, String path, String json)
      throws InterruptedException {
    String last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(CALL_TIMEOUT).header("X-API-Key", "demo-premium-key")
          .header("X-Correlation-ID", "demo-warm-up");
      b = json == null ? b.GET() : b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() < 500) {
          Matcher m = ORDER_ID.matcher(r.body());
          return r.statusCode() < 300 && m.find() ? m.group(1) : null;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
    }
    out.println("  warm-up " + method + " " + base + path + " failed: " + last + "; going on");
    return null;
  }
}
