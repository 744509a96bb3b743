package dev.sextant.samples;

import dev.sextant.samples.internal.Args;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One entry point for every shop process: {@code ShopMain ROLE [--name value]...}. Roles:
 * {@code gateway}, {@code users}, {@code orders}, {@code inventory}, {@code payments} (services:
 * {@code --port}, {@code --metrics-port}, 0 picks; prints {@code LISTENING <port> METRICS <port>}
 * once serving) and {@code loadgen} (see {@link LoadGenerator}).
 *
 * <p>Service flags: gateway {@code --users URL --orders URL [--tiers free=1/3,...]
 * [--api-keys KEY=TIER,...]}; orders {@code --users URL --inventory URL --payments URL
 * [--breaker-failures 5]
 * [--breaker-open 30s] [--payment-attempts 3] [--payment-backoff 50ms]}; inventory
 * {@code [--pool-size 8]}. Every role: {@code --watch-parent true} exits when the parent does.
 */
public final class ShopMain {
  private static final Logger log = LoggerFactory.getLogger(ShopMain.class);

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0) {
      System.err.println("usage: ShopMain gateway|users|orders|inventory|payments|loadgen "
          + "[--name value]...");
      System.exit(2);
    }
    String role = argv[0];
    Args args = new Args(argv, 1);
    if (Boolean.parseBoolean(args.string("watch-parent", "false"))) {
      // Started by the demo: never outlive it, even when it is killed without a chance to clean up.
      ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> System.exit(0)));
    }
    if (role.equals("loadgen")) {
      new LoadGenerator(args).run();
      return;
    }
    ShopService shop = new ShopService(role);
    switch (role) {
      case "gateway" -> new Gateway(args, shop);
      case "users" -> new Users(shop);
      case "orders" -> new Orders(args, shop);
      case "inventory" -> new Inventory(args, shop);
      case "payments" -> new Payments(shop);
      default -> throw new IllegalArgumentException("role: " + role
          + " (expected: gateway, users, orders, inventory, payments or loadgen)");
    }
    String ports = shop.start(args.integer("port", 0), args.integer("metrics-port", 0),
        args.integer("threads", 32));
    log.info("{} started: {}", role, ports);
    System.out.println(ports);
    System.out.flush();
  }

  private ShopMain() {}
}
