package dev.sextant.samples;

import dev.sextant.samples.internal.Args;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady traffic through the gateway: {@code --rate} requests per second (default 5), picked by
 * weight from {@code --mix} (default {@code create-order=60,get-order=20,get-user=20}) with an API
 * key picked by weight from {@code --keys}; every request has its own {@code X-Correlation-ID}.
 * Prints a {@code loadgen:} summary line every {@code --report-every} (default 30s). At most
 * {@code --max-in-flight} requests wait at once; beyond that a tick is skipped and counted, so a
 * slow shop slows the generator instead of piling up threads.
 */
final class LoadGenerator {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final String target;
  private final double rate;
  private final Map<String, String> mix;
  private final Map<String, String> keys;
  private final Duration reportEvery;
  private final double badCardShare;
  private final Semaphore inFlight;
  private final ConcurrentLinkedDeque<String> recentOrders = new ConcurrentLinkedDeque<>();
  private final LongAdder sent = new LongAdder();
  private final LongAdder ok = new LongAdder();
  private final LongAdder clientErrors = new LongAdder();
  private final LongAdder limited = new LongAdder();
  private final LongAdder serverErrors = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder skipped = new LongAdder();

  LoadGenerator(Args args) {
    this.target = args.required("target");
    this.rate = args.decimal("rate", 5);
    if (!(rate > 0 && rate <= 1000)) {
      throw new IllegalArgumentException("--rate: " + rate + " (expected: > 0 and <= 1000)");
    }
    this.mix = Args.pairs("--mix", args.string("mix", "create-order=60,get-order=20,get-user=20"));
    for (String kind : mix.keySet()) {
      if (!List.of("create-order", "get-order", "get-user").contains(kind)) {
        throw new IllegalArgumentException("--mix: " + kind
            + " (expected: create-order, get-order, get-user)");
      }
    }
    this.keys = Args.pairs("--keys",
        args.string("keys", "demo-free-key=25,demo-basic-key=35,demo-premium-key=40"));
    this.reportEvery = args.duration("report-every", Duration.ofSeconds(30));
    this.badCardShare = args.decimal("bad-card-share", 0.02);
    this.inFlight = new Semaphore(args.integer("max-in-flight", 64));
  }

  void run() throws InterruptedException {
    ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
    var workers = Executors.newCachedThreadPool();
    long periodMicros = (long) (1_000_000 / rate);
    ticks.scheduleAtFixedRate(() -> {
      if (!inFlight.tryAcquire()) {
        skipped.increment();
        return;
      }
      workers.execute(() -> {
        try {
          send(pick(mix), pick(keys));
        } finally {
          inFlight.release();
        }
      });
    }, 0, periodMicros, TimeUnit.MICROSECONDS);
    ticks.scheduleAtFixedRate(this::report, reportEvery.toMillis(), reportEvery.toMillis(),
        TimeUnit.MILLISECONDS);
    System.out.println("loadgen: " + rate + " req/s to " + target + ", mix " + mix);
    System.out.flush();
    new CountDownLatch(1).await(); // until the process is stopped
  }

  private void send(String kind, String key) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    HttpRequest.Builder b;
    if (kind.equals("create-order")) {
      String card = r.nextDouble() < badCardShare ? Payments.DECLINED_CARD : "4242424242424242";
      String body = "{\"userId\":" + r.nextInt(1, 51) + ",\"sku\":\""
          + Inventory.SKUS[r.nextInt(Inventory.SKUS.length)] + "\",\"quantity\":"
          + r.nextInt(1, 4) + ",\"card\":\"" + card + "\"}";
      b = HttpRequest.newBuilder(URI.create(target + "/api/orders"))
          .POST(HttpRequest.BodyPublishers.ofString(body))
          .header("Content-Type", "application/json");
    } else if (kind.equals("get-order") && !recentOrders.isEmpty()) {
      b = HttpRequest.newBuilder(URI.create(target + "/api/orders/" + recentOrders.peekLast()));
    } else {
      b = HttpRequest.newBuilder(URI.create(target + "/api/users/" + r.nextInt(1, 55)));
    }
    b.timeout(Duration.ofSeconds(15)).header("X-API-Key", key)
        .header("X-Correlation-ID", "lg-" + UUID.randomUUID());
    sent.increment();
    try {
      HttpResponse<String> resp = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      int s = resp.statusCode();
      if (s < 400) {
        ok.increment();
        if (kind.equals("create-order") && s == 201) {
          remember(Args.readJson(resp.body()).path("orderId").asText());
        }
      } else if (s == 429) {
        limited.increment();
      } else if (s < 500) {
        clientErrors.increment();
      } else {
        serverErrors.increment();
      }
    } catch (Exception e) {
      failed.increment();
    }
  }

  private void remember(String orderId) {
    recentOrders.addLast(orderId);
    while (recentOrders.size() > 100) {
      recentOrders.pollFirst();
    }
  }

  private void report() {
    System.out.printf("loadgen: last %ds: %d sent, %d ok, %d 4xx, %d 429, %d 5xx, %d failed, "
            + "%d skipped%n", reportEvery.toSeconds(), sent.sumThenReset(), ok.sumThenReset(),
        clientErrors.sumThenReset(), limited.sumThenReset(), serverErrors.sumThenReset(),
        failed.sumThenReset(), skipped.sumThenReset());
    System.out.flush();
  }

  /** A key of {@code weights} ({@code name=weight}) picked with probability by weight. */
  static String pick(Map<String, String> weights) {
    List<String> names = new ArrayList<>(weights.keySet());
    double total = 0;
    for (String n : names) {
      total += Args.number("weight of " + n, weights.get(n));
    }
    double x = ThreadLocalRandom.current().nextDouble(total);
    for (String n : names) {
      x -= Double.parseDouble(weights.get(n));
      if (x < 0) {
        return n;
      }
    }
    return names.get(names.size() - 1);
  }
}
