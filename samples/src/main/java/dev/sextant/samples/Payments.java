package dev.sextant.samples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.samples.internal.Reply;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /payments/charge {"orderId","amountCents","card"}}: a {@code validate card} span
 * (Luhn check; 402 when the card is invalid or declined) and a {@code charge card} span through
 * one of two providers ({@code payment.provider}: {@code acme} for about a third of the charges,
 * else {@code stripe}), where the injected error rate fails the card processor with a 503 (only
 * one provider's charges with the fault's {@code errorKey}).
 */
final class Payments {
  /** A valid card number the processor always declines. */
  static final String DECLINED_CARD = "4000000000000002";

  private final Tracer tracer = GlobalOpenTelemetry.getTracer("dev.sextant.samples");

  Payments(ShopService shop) {
    shop.app().route("POST", "/payments/charge", call -> {
      JsonNode body = call.json();
      String card = body.path("card").asText("");
      long amount = body.path("amountCents").asLong(0);
      if (amount <= 0) {
        throw new IllegalArgumentException("amountCents: " + amount + " (expected: > 0)");
      }
      String refusal = step("validate card", () -> validate(card));
      if (refusal != null) {
        return Reply.error(402, refusal);
      }
      String provider = ThreadLocalRandom.current().nextInt(3) == 0 ? "acme" : "stripe";
      String failure = step("charge card", () -> {
        Span.current().setAttribute("payment.provider", provider);
        Thread.sleep(ThreadLocalRandom.current().nextInt(5, 20)); // the processor's round trip
        return shop.faults().shouldFail(provider)
            ? "card processor " + provider + " unavailable (injected fault)" : null;
      });
      if (failure != null) {
        return Reply.error(503, failure);
      }
      return Reply.json(200, Map.of("paymentId", UUID.randomUUID().toString(),
          "orderId", body.path("orderId").asText(), "amountCents", amount, "status", "charged"));
    });
  }

  private interface Step {
    String run() throws Exception;
  }

  /** Runs a step in its own span; a non-null result is the step's failure. */
  private String step(String name, Step step) throws Exception {
    Span span = tracer.spanBuilder(name).startSpan();
    try (Scope ignored = span.makeCurrent()) {
      String failure = step.run();
      if (failure != null) {
        span.setStatus(StatusCode.ERROR, failure);
      }
      return failure;
    } finally {
      span.end();
    }
  }

  static String validate(String card) {
    if (!card.matches("[0-9]{12,19}") || !luhn(card)) {
      return "card: invalid number";
    }
    return card.equals(DECLINED_CARD) ? "card: declined by the issuer" : null;
  }

  static boolean luhn(String digits) {
    int sum = 0;
    boolean dbl = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
    }
    return sum % 10 == 0;
  }
}
