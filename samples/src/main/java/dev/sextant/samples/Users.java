package dev.sextant.samples;

import dev.sextant.samples.internal.Reply;
import java.util.Map;

/** {@code GET /users/{id}}: a small fixed directory of customers (ids 1-50). */
final class Users {
  private static final String[] NAMES = {"Ada", "Grace", "Edsger", "Barbara", "Donald", "Frances",
      "Ken", "Margaret", "Niklaus", "Radia"};

  Users(ShopService shop) {
    shop.app().route("GET", "/users/{id}", call -> {
      if (shop.faults().shouldFail()) {
        return Reply.error(500, "user directory error (injected fault)");
      }
      int id;
      try {
        id = Integer.parseInt(call.param("id"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("id: " + call.param("id") + " (expected: a number)");
      }
      if (id < 1 || id > 50) {
        return Reply.error(404, "user " + id + " not found");
      }
      String name = NAMES[id % NAMES.length];
      return Reply.json(200, Map.of("id", id, "name", name + " #" + id,
          "tier", id % 3 == 0 ? "premium" : id % 3 == 1 ? "basic" : "free"));
    });
  }
}
