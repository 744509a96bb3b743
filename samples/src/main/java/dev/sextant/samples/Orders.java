package dev.sextant.samples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.samples.internal.Args;
import dev.sextant.samples.internal.CircuitBreaker;
import dev.sextant.samples.internal.Downstream;
import dev.sextant.samples.internal.Reply;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /orders {"userId","sku","quantity","card"}}: looks the customer up at users,
 * reserves stock at inventory, then
 * charges through {@link PaymentsClient}; 201 with the order, 402 for a refused card, 503 when the
 * breaker is open, 502 when payments keep failing. {@code GET /orders/{id}} reads one back.
 */
final class Orders {
  private static final Logger log = LoggerFactory.getLogger(Orders.class);

  private final Downstream users;
  private final Downstream inventory;
  private final PaymentsClient payments;
  /** The latest orders only: the demo runs for hours and memory must not grow with it. */
  private final Map<String, Map<String, Object>> orders = Collections.synchronizedMap(
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
          return size() > 10_000;
        }
      });

  Orders(Args args, ShopService shop) {
    Duration timeout = args.duration("timeout", Duration.ofSeconds(10));
    this.users = new Downstream(args.required("users"), timeout);
    this.inventory = new Downstream(args.required("inventory"), timeout);
    CircuitBreaker breaker = new CircuitBreaker(args.integer("breaker-failures", 5),
        args.duration("breaker-open", Duration.ofSeconds(30)), System::nanoTime);
    this.payments = new PaymentsClient(new Downstream(args.required("payments"), timeout),
        breaker, args.integer("payment-attempts", 3),
        args.duration("payment-backoff", Duration.ofMillis(50)), shop.metrics().registry());
    shop.app().route("POST", "/orders", call -> {
      if (shop.faults().shouldFail()) {
        return Reply.error(500, "orders database error (injected fault)");
      }
      return create(call.json());
    });
    shop.app().route("GET", "/orders/{id}", call -> {
      Map<String, Object> order = orders.get(call.param("id"));
      return order == null ? Reply.error(404, "order " + call.param("id") + " not found")
          : Reply.json(200, order);
    });
  }

  private Reply create(JsonNode body) throws InterruptedException {
    String orderId = UUID.randomUUID().toString();
    Reply user;
    try {
      user = users.send("GET", "/users/" + body.path("userId").asInt(), null, null);
    } catch (IOException e) {
      return Reply.error(502, "users unreachable: " + e);
    }
    if (user.status() == 404) {
      throw new IllegalArgumentException("userId: " + body.path("userId") + " (unknown user)");
    }
    if (user.status() != 200) {
      return Reply.error(502, "users failed: " + user.bodyText());
    }
    Reply reserved;
    try {
      reserved = inventory.postJson("/inventory/reserve", Map.of(
          "sku", body.path("sku").asText(""), "quantity", body.path("quantity").asInt(1)));
    } catch (IOException e) {
      return Reply.error(502, "inventory unreachable: " + e);
    }
    if (reserved.status() != 200) {
      return reserved.status() >= 500
          ? Reply.error(502, "inventory failed: " + reserved.bodyText()) : reserved;
    }
    JsonNode item = Args.readJson(reserved.bodyText());
    long amount = item.path("priceCents").asLong() * item.path("quantity").asLong();
    PaymentsClient.Result paid = payments.charge(Map.of("orderId", orderId,
        "amountCents", amount, "card", body.path("card").asText("")));
    if (paid.rejected()) {
      return paid.reply();
    }
    int status = paid.reply().status();
    if (status >= 500) {
      log.error("order {}: payment failed after {} attempts: {}", orderId, paid.attempts(),
          paid.reply().bodyText());
      return Reply.error(502, "payment failed after " + paid.attempts() + " attempts");
    }
    if (status != 200) {
      return paid.reply();
    }
    Map<String, Object> order = Map.of("orderId", orderId, "userId", body.path("userId").asInt(),
        "sku", item.path("sku").asText(), "quantity", item.path("quantity").asInt(),
        "amountCents", amount, "status", "paid");
    orders.put(orderId, order);
    log.info("order {} paid: {} x {} for {} cents", orderId, item.path("quantity").asInt(),
        item.path("sku").asText(), amount);
    return Reply.json(201, order);
  }
}
