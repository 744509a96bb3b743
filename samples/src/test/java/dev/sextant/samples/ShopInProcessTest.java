package dev.sextant.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.samples.internal.Args;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The five services in this JVM on loopback ports, without the agent: routing, tiers, the
 * payments breaker and the metrics endpoints, over real HTTP.
 */
class ShopInProcessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final List<ShopService> started = new ArrayList<>();
  private static String gateway;
  private static String payments;
  private static String inventory;
  private static String users;
  private static int gatewayMetrics;
  private static int inventoryMetrics;

  /** Starts a service and returns {http port, metrics port}. */
  private static int[] start(ShopService s) throws Exception {
    String[] parts = s.start(0, 0, 8).split(" ");
    started.add(s);
    return new int[] {Integer.parseInt(parts[1]), Integer.parseInt(parts[3])};
  }

  private static String url(int[] ports) {
    return "http://127.0.0.1:" + ports[0];
  }

  @BeforeAll
  static void startShop() throws Exception {
    ShopService u = new ShopService("users");
    new Users(u);
    users = url(start(u));
    ShopService i = new ShopService("inventory");
    new Inventory(new Args(new String[0], 0), i);
    int[] inv = start(i);
    inventory = url(inv);
    inventoryMetrics = inv[1];
    ShopService p = new ShopService("payments");
    new Payments(p);
    payments = url(start(p));
    String orders = url(start(orders("1h")));
    ShopService g = new ShopService("gateway");
    new Gateway(new Args(new String[] {"--users", users, "--orders", orders}, 0), g);
    int[] gw = start(g);
    gateway = url(gw);
    gatewayMetrics = gw[1];
  }

  private static ShopService orders(String breakerOpen) {
    ShopService o = new ShopService("orders");
    new Orders(new Args(new String[] {"--users", users, "--inventory", inventory,
        "--payments", payments, "--breaker-open", breakerOpen, "--payment-backoff", "1ms"}, 0), o);
    return o;
  }

  @AfterAll
  static void stopShop() {
    started.forEach(s -> s.app().stop());
  }

  private static HttpResponse<String> send(String method, String url, String key, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    b.header("X-Correlation-ID", "test-corr");
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String order(int quantity) {
    return "{\"userId\":7,\"sku\":\"sextant\",\"quantity\":" + quantity
        + ",\"card\":\"4242424242424242\"}";
  }

  @Test
  void createOrder_passesEveryServiceAndCanBeReadBack() throws Exception {
    HttpResponse<String> created = send("POST", gateway + "/api/orders", "demo-premium-key",
        order(2));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("X-Correlation-ID")).hasValue("test-corr");
    JsonNode order = Args.readJson(created.body());
    assertThat(order.path("amountCents").asLong()).isEqualTo(2 * 1999);
    HttpResponse<String> read = send("GET", gateway + "/api/orders/"
        + order.path("orderId").asText(), "demo-premium-key", null);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).contains("\"status\":\"paid\"");
  }

  @Test
  void createOrder_badInputAndDeclinedCardAreClientErrors() throws Exception {
    HttpResponse<String> bad = send("POST", gateway + "/api/orders", "demo-premium-key",
        order(0));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("quantity: 0 (expected: 1-100)");
    HttpResponse<String> declined = send("POST", gateway + "/api/orders", "demo-premium-key",
        order(1).replace("4242424242424242", Payments.DECLINED_CARD));
    assertThat(declined.statusCode()).isEqualTo(402);
    assertThat(declined.body()).contains("declined");
  }

  @Test
  void gateway_limitsTheFreeTierWith429AndRetryAfter_andRefusesUnknownKeys() throws Exception {
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> last = null;
    for (int i = 0; i < 5; i++) {
      last = send("GET", gateway + "/api/users/3", "demo-free-key", null);
      statuses.add(last.statusCode());
    }
    assertThat(statuses).startsWith(200, 200, 200).contains(429);
    assertThat(last.statusCode()).isEqualTo(429);
    assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(last.body()).contains("rate limit of tier free exceeded");
    assertThat(send("GET", gateway + "/api/users/3", "stolen", null).statusCode())
        .isEqualTo(401);
  }

  @Test
  void paymentFault_isRetriedThenOpensTheBreaker_whichRefusesFast() throws Exception {
    ShopService o = orders("1h");
    String orders = url(start(o));
    send("POST", payments + "/admin/faults?errorRate=1.0", null, null);
    try {
      // 3 attempts per order: the 2nd order's 2nd failure is the 5th in a row
      assertThat(send("POST", orders + "/orders", null, order(1)).statusCode()).isEqualTo(502);
      assertThat(send("POST", orders + "/orders", null, order(1)).statusCode()).isEqualTo(503);
      HttpResponse<String> fast = send("POST", orders + "/orders", null, order(1));
      assertThat(fast.statusCode()).isEqualTo(503);
      assertThat(fast.body()).contains("circuit breaker open");
      assertThat(o.metrics().registry().scrape().stream()
          .anyMatch(s -> s.getMetadata().getName().equals("circuit_breaker_state"))).isTrue();
    } finally {
      send("POST", payments + "/admin/faults?reset=true", null, null);
    }
  }

  @Test
  void metricsEndpoints_serveTheShopMetricsInTextFormat() throws Exception {
    send("GET", gateway + "/api/users/9", "demo-basic-key", null);
    send("POST", gateway + "/api/orders", "demo-basic-key", order(1));
    String gw = send("GET", "http://127.0.0.1:" + gatewayMetrics + "/metrics", null, null)
        .body();
    assertThat(gw).contains("http_requests_total{method=\"GET\",route=\"/api/users/{id}\","
        + "status=\"200\"}").contains("http_request_duration_seconds_bucket{");
    String inv = send("GET", "http://127.0.0.1:" + inventoryMetrics + "/metrics", null, null)
        .body();
    assertThat(inv).contains("db_connection_pool_usage{pool=\"inventory\"}")
        .contains("db_connection_pool_connections{pool=\"inventory\",state=\"max\"} 8.0");
  }

  @Test
  void faults_downServiceAnswers503AndBadFaultIs400() throws Exception {
    assertThat(send("POST", users + "/admin/faults?down=maybe", null, null).statusCode())
        .isEqualTo(400);
    send("POST", users + "/admin/faults?down=true", null, null);
    try {
      HttpResponse<String> r = send("GET", gateway + "/api/users/4", "demo-premium-key", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).contains("users is down (injected fault)");
    } finally {
      send("POST", users + "/admin/faults?reset=true", null, null);
    }
  }
}
