package dev.sextant.server.demo;

import static java.util.Objects.requireNonNull;

import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.server.SextantServer;
import dev.sextant.server.SextantServerBuilder;
import dev.sextant.storage.metrics.SpanMetricNames;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one-command demo: Sextant with the shop's rules, scrape targets and playbooks, a local
 * PagerDuty, the five shop services with the agent and a load generator; then a payment fault
 * that pages, and its removal that resolves. The fault fails the charges of one payment provider
 * (acme) and slows payments down, so the page's findings have something to name: the provider
 * the failing requests share, and payments' grown share of the orders' critical path. {@link #run} returns when {@link #stop()} is called
 * (a shutdown hook does on Ctrl-C) or {@link DemoOptions#runFor} has passed; everything it started
 * is stopped by then.
 */
public final class ShopDemo {
  static final String[] SERVICES = {"gateway", "users", "orders", "inventory", "payments"};
  /** Latency the payment fault adds to every payments request. */
  static final int FAULT_LATENCY_MS = 500;

  private final DemoOptions options;
  private final SextantServerBuilder sextant;
  private final PrintStream out;
  private final DemoHome home;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<ShopProcess> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private LocalPagerDuty pagerDuty;
  private SextantServer server;

  /**
   * @param sextant the server as configured by the command line (data dir, ports); the demo adds
   *     rules, scrape targets, notifier and playbooks
   */
  public ShopDemo(DemoOptions options, SextantServerBuilder sextant, PrintStream out) {
    this.options = requireNonNull(options, "options");
    this.sextant = requireNonNull(sextant, "sextant");
    this.out = requireNonNull(out, "out");
    this.home = options.home != null ? new DemoHome(options.home) : DemoHome.locate();
  }

  /** Runs the demo; see the class comment. */
  public void run(Path dataDir) throws Exception {
    home.check();
    try {
      start(dataDir);
      Thread faults = new Thread(this::faultStory, "demo-fault-story");
      faults.setDaemon(true);
      faults.start();
      if (options.runFor != null) {
        stopRequested.await(options.runFor.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        stopRequested.await();
      }
    } finally {
      shutdown();
    }
  }

  /** Asks {@link #run} to stop and waits until everything it started has stopped. */
  public void stop() throws InterruptedException {
    stopRequested.countDown();
    stopped.await(60, TimeUnit.SECONDS);
  }

  private void start(Path dataDir) throws Exception {
    pagerDuty = new LocalPagerDuty(out);
    Path rules = home.writeRules(dataDir.resolve("demo-rules"), options);
    server = sextant.dataDir(dataDir)
        .ruleFiles(List.of(rules.toString()))
        .notifierConfig(notifierYaml())
        .spanMetricsInterval(options.spanMetricsInterval)
        .playbooksDir(home.playbooks())
        .build();
    server.start();
    String ui = "http://localhost:" + server.httpPort();
    out.println("Sextant is up: UI " + ui + "/ui/search, OTLP gRPC :" + server.grpcPort()
        + ", local PagerDuty " + pagerDuty.url());
    out.println("Starting the shop (5 JVMs with the Sextant agent), logs in "
        + dataDir.resolve("logs") + " ...");
    // Each shop binds its own ports (0 picks) and reports them; its callers start once it
    // serves. Ports picked here and released for a child to bind later were taken in between
    // by another socket now and then, and that child exited with 1 before serving.
    startShops(dataDir, "users", "inventory", "payments");
    startShops(dataDir, "orders");
    startShops(dataDir, "gateway");
    List<ScrapeConfig> scrape = new ArrayList<>();
    Duration timeout = options.scrapeInterval.compareTo(Duration.ofSeconds(5)) < 0
        ? options.scrapeInterval : Duration.ofSeconds(5);
    for (String service : SERVICES) {
      scrape.add(new ScrapeConfig(service, List.of("127.0.0.1:" + shop(service).metricsPort()),
          options.scrapeInterval, timeout, "/metrics", "http"));
    }
    server.addScrapeConfigs(scrape);
    out.println("Warming the shop up (its first requests, leaves first) ...");
    Map<String, String> byName = new HashMap<>();
    for (String service : SERVICES) {
      byName.put(service, url(service));
    }
    new ShopWarmUp(http, out).run(byName);
    List<String> lg = java(List.of("-Xmx64m"));
    lg.addAll(List.of("loadgen", "--target", url("gateway"), "--rate",
        Double.toString(options.loadRate),
        "--mix", options.loadMix, "--report-every", "30s", "--watch-parent", "true"));
    processes.add(ShopProcess.start("loadgen", lg, dataDir.resolve("logs/loadgen.log"),
        line -> {
          if (line.startsWith("loadgen:")) {
            out.println(line);
          }
        }));
    printGuide(ui, url("gateway"));
  }

  /** Starts {@code names} together, then waits until each serves (it printed its ports). */
  private void startShops(Path dataDir, String... names) throws Exception {
    List<ShopProcess> started = new ArrayList<>();
    for (String name : names) {
      List<String> cmd = javaWithAgent(name);
      cmd.addAll(List.of(name, "--port", Integer.toString(shopPort(name, 0)),
          "--metrics-port", Integer.toString(shopPort(name, 100)), "--watch-parent", "true"));
      switch (name) {
        case "gateway" -> cmd.addAll(List.of("--users", url("users"), "--orders", url("orders")));
        case "orders" -> cmd.addAll(List.of("--users", url("users"), "--inventory",
            url("inventory"), "--payments", url("payments"),
            "--breaker-open", DemoHome.prom(options.breakerOpen)));
        default -> { }
      }
      ShopProcess p = ShopProcess.start(name, cmd,
          dataDir.resolve("logs").resolve(name + ".log"), line -> { });
      processes.add(p);
      started.add(p);
    }
    for (ShopProcess p : started) {
      p.awaitListening(options.startTimeout.toMillis());
      out.println("  " + p.name() + " serving");
    }
  }

  /** {@code --shop-port} plus the service's index plus {@code offset}; 0 lets the shop pick. */
  private int shopPort(String service, int offset) {
    return options.shopBasePort > 0
        ? options.shopBasePort + offset + List.of(SERVICES).indexOf(service) : 0;
  }

  private ShopProcess shop(String service) {
    for (ShopProcess p : processes) {
      if (p.name().equals(service)) {
        return p;
      }
    }
    throw new IllegalStateException("no " + service);
  }

  private String url(String service) {
    return "http://127.0.0.1:" + shop(service).port();
  }

  private void printGuide(String ui, String gateway) {
    out.println();
    out.println("The shop is serving at " + gateway + " (gateway) and a load generator is "
        + "sending " + options.loadRate + " req/s.");
    out.println("Look at:");
    out.println("  traces     " + ui + "/ui/search?service=gateway   (a create-order: gateway ->"
        + " orders -> users, inventory -> DB, payments -> validate, charge)");
    out.println("  logs       " + ui + "/ui/logs   (JSON logs with trace_id, span_id, "
        + "correlation_id)");
    out.println("  services   " + ui + "/ui/services   (golden signals)   map " + ui + "/ui/map");
    out.println("  metrics    " + ui + "/ui/metrics?expr="
        + "sum%20by%20(job)(rate(http_requests_total%5B1m%5D))");
    out.println("  RED/spans  " + ui + "/ui/metrics?expr="
        + "sum%20by%20(service_name)(rate(" + SpanMetricNames.CALLS + "%5B1m%5D))");
    out.println("  alerts     " + ui + "/ui/alerts   (rules, firing alerts, silences, and every"
        + " delivery to the local PagerDuty)");
    out.println("  playbooks  " + ui + "/playbooks/");
    out.println("  try it     curl -i -H 'X-API-Key: demo-free-key' " + gateway + "/api/users/7"
        + "   (free tier: 1 req/s, then 429 + Retry-After)");
    if (options.faultErrorRate > 0) {
      out.println("In " + options.faultAfter.toSeconds() + " s the demo makes "
          + Math.round(options.faultErrorRate * 100) + "% of the charges through payment "
          + "provider acme fail and payments slows down: alerts fire and a page arrives here, "
          + "with what sets the failing requests apart and where the time went.");
    }
    out.println("Ctrl-C stops everything.");
    out.println();
  }

  private void faultStory() {
    if (options.faultErrorRate <= 0) {
      return;
    }
    try {
      if (stopRequested.await(options.faultAfter.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      int before = pagerDuty.pages().size();
      String fault = "errorRate=" + options.faultErrorRate + "&errorKey=acme&latencyMs="
          + FAULT_LATENCY_MS;
      setPaymentFault(fault);
      out.println("\n>>> FAULT INJECTED: " + Math.round(options.faultErrorRate * 100)
          + "% of the charges through provider acme now fail, and payments answers "
          + FAULT_LATENCY_MS + " ms slower (POST payments /admin/faults?" + fault
          + "). Watch for a page...");
      long deadline = System.nanoTime() + options.faultMax.toNanos();
      while (!faultPaged(before) && System.nanoTime() < deadline) {
        if (stopRequested.await(500, TimeUnit.MILLISECONDS)) {
          return;
        }
      }
      if (stopRequested.await(options.faultHold.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      setPaymentFault("reset=true");
      out.println("\n>>> FAULT REMOVED: payments are healthy again; the breaker closes after its "
          + "half-open probe and the alerts resolve (a RESOLVE page follows).");
    } catch (Exception e) {
      out.println("demo: fault injection failed: " + e);
    }
  }

  /** Whether an alert the payment fault causes has paged (new incident or update) since then. */
  private boolean faultPaged(int since) {
    List<LocalPagerDuty.Page> pages = pagerDuty.pages();
    for (LocalPagerDuty.Page p : pages.subList(Math.min(since, pages.size()), pages.size())) {
      if (p.action().equals("trigger") && (p.summary().contains("ShopHighErrorRate")
          || p.summary().contains("PaymentsSpanErrors")
          || p.summary().contains("CircuitBreakerOpen"))) {
        return true;
      }
    }
    return false;
  }

  private void setPaymentFault(String query) throws IOException, InterruptedException {
    String url = url("payments") + "/admin/faults?" + query;
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("payments answered " + r.statusCode() + ": " + r.body());
    }
  }

  private String notifierYaml() {
    return "route:\n"
        + "  receiver: local-pagerduty\n"
        + "  group_by: [alertname]\n"
        + "  group_wait: " + DemoHome.prom(options.groupWait) + "\n"
        + "  group_interval: " + DemoHome.prom(options.groupInterval) + "\n"
        + "  repeat_interval: 4h\n"
        + "receivers:\n"
        + "  - name: local-pagerduty\n"
        + "    pagerduty_configs:\n"
        + "      - routing_key: sextant-demo\n"
        + "        url: " + pagerDuty.url() + "\n";
  }

  private List<String> java(List<String> jvmArgs) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
    cmd.addAll(List.of("-jar", home.samplesJar().toString()));
    return cmd;
  }

  /**
   * Only the instrumentation the shop uses: the agent then starts in about half the CPU time,
   * which on a 2-core machine running six JVMs is the difference between seconds and minutes.
   */
  static final List<String> INSTRUMENTATION = List.of("java-http-server", "java-http-client",
      "executors", "jdbc", "hikaricp", "logback-appender", "logback-mdc", "sextant-logback-mdc",
      "opentelemetry-api", "runtime-telemetry", "runtime-telemetry-java8",
      "runtime-telemetry-java17");

  private List<String> javaWithAgent(String service) {
    List<String> flags = new ArrayList<>();
    flags.add("-Dotel.instrumentation.common.default-enabled=false");
    INSTRUMENTATION.forEach(i -> flags.add("-Dotel.instrumentation." + i + ".enabled=true"));
    flags.addAll(List.of("-Xmx" + options.serviceHeap,
        "-javaagent:" + home.agentJar(),
        "-Dsextant.endpoint=http://127.0.0.1:" + server.grpcPort(),
        "-Dsextant.service.name=" + service,
        "-Dotel.bsp.schedule.delay=1000",
        "-Dotel.blrp.schedule.delay=1000",
        "-Dotel.metric.export.interval=15000"));
    return java(flags);
  }

  private synchronized void shutdown() {
    if (stopped.getCount() == 0) {
      return;
    }
    out.println("\nStopping the shop, Sextant and the local PagerDuty ...");
    processes.forEach(ShopProcess::stop); // all at once, then wait for each
    processes.forEach(ShopProcess::close);
    if (server != null) {
      server.close();
    }
    if (pagerDuty != null) {
      out.println("Pages received: " + pagerDuty.pages().size());
      pagerDuty.close();
    }
    out.println("Demo stopped.");
    stopped.countDown();
  }
}
