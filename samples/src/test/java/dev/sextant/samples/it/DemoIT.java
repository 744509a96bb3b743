package dev.sextant.samples.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sextant demo} as a user runs it (the packaged server jar, the agent jar, the samples
 * jar), with shortened timings: one create-order trace spans the five services as one tree;
 * scraped and span-derived metrics are queryable; the payment fault fires ShopHighErrorRate and
 * the demo's local PagerDuty gets the trigger with its playbook link and findings (the failing
 * provider, payments' grown critical-path share), then the resolve once the fault is gone, and
 * the page's evidence traces stay pinned; SIGTERM stops the demo and every process it started.
 */
class DemoIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final List<String> SERVICES =
      List.of("gateway", "users", "orders", "inventory", "payments");

  @TempDir
  Path data;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private volatile int after;
  private int httpPort;

  @Test
  void demo_tracesMetricsPageAndResolve_thenStopsEverything() throws Exception {
    Path home = Paths.get(System.getProperty("sextant.home", "..")).toAbsolutePath().normalize();
    List<String> cmd = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-jar", home.resolve("server/target/sextant-server.jar").toString(), "demo",
        "--home", home.toString(), "--data-dir", data.toString(),
        "--http-port", "0", "--grpc-port", "0", "--otlp-http-port", "0",
        "--shop-port", "0", "--load-rate", "5",
        "--fault-after", "45s", "--fault-hold", "5s", "--fault-max", "120s",
        "--breaker-open", "5s", "--scrape-interval", "2s", "--eval-interval", "2s",
        "--alert-for", "4s", "--alert-window", "20s", "--group-interval", "3s",
        "--start-timeout", "8m"));
    Path log = Paths.get("target", "it-logs", "demo.log");
    Files.createDirectories(log.getParent());
    // To a file, not a pipe: the JDK may close a pipe under its reader when the process exits,
    // losing the last lines ("Demo stopped.").
    Process demo = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    follow(demo, log);
    try {
      // The demo binds port 0 and prints what it got: a port picked here and released could be
      // taken by another process before the demo binds it.
      String up = awaitLine("Sextant is up: UI http://localhost:", Duration.ofSeconds(300), demo);
      httpPort = Integer.parseInt(up.replaceAll(".*http://localhost:(\\d+)/.*", "$1"));
      awaitLine("Ctrl-C stops everything.", Duration.ofSeconds(540), demo);
      List<ProcessHandle> children = demo.descendants().toList();
      assertThat(children).as("5 services + load generator").hasSizeGreaterThanOrEqualTo(6);

      assertCreateOrderTraceSpansTheFiveServices();
      assertMetricsAreQueryable();

      awaitLine("FAULT INJECTED", Duration.ofSeconds(120), demo);
      // A busy machine can make a cold shop time out and page before the fault: only pages
      // printed after the injection count.
      after = indexOf("FAULT INJECTED");
      // a new incident, or an update of one opened by a cold start
      awaitLine(l -> l.contains("ShopHighErrorRate")
          && (l.startsWith("PAGE TRIGGER [critical]") || l.startsWith("PAGE UPDATE")),
          Duration.ofSeconds(150), demo);
      // The page answers without anyone asking: what the failing requests share (the fault's
      // provider) and where the time went (payments' grown share of the orders' critical path).
      awaitLine(l -> l.startsWith("    finding   ") && l.contains("payment.provider=acme"),
          Duration.ofSeconds(30), demo);
      awaitLine(l -> l.startsWith("    finding   Critical path of gateway POST /api/orders: "
          + "payments "), Duration.ofSeconds(30), demo);
      after = 0;
      String playbook = awaitLine("playbooks/high-error-rate.md", Duration.ofSeconds(5), demo);
      String link = playbook.substring(playbook.indexOf("http"));
      assertThat(get(link).body()).contains("<h1>Playbook: ShopHighErrorRate</h1>");
      assertThat(get(link + "?raw").body()).contains("# Playbook: ShopHighErrorRate");
      awaitLine("FAULT REMOVED", Duration.ofSeconds(60), demo);
      after = indexOf("FAULT REMOVED");
      awaitLine("ShopHighErrorRate", Duration.ofSeconds(120), demo, "PAGE RESOLVE");
      JsonNode audit = json("/api/alerts/audit?limit=100");
      assertThat(audit.toString()).contains("local-pagerduty");
      // The pages pinned their evidence traces; resolved, the pins now count down to expiry.
      JsonNode pins = json("/api/pins").path("pins");
      assertThat(pins).anySatisfy(p -> {
        assertThat(p.path("reason").asText()).isEqualTo("evidence of ShopHighErrorRate");
        assertThat(p.path("pinnedBy").asText()).isEqualTo("alert");
      });

      demo.destroy(); // SIGTERM, as Ctrl-C would
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo exits").isTrue();
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
        assertThat(child.isAlive()).as("child %s", child.info().commandLine()).isFalse();
      }
      assertThat(lines).contains("Demo stopped.");
    } finally {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }

  private void assertCreateOrderTraceSpansTheFiveServices() throws Exception {
    String[] found = new String[1];
    // Any create-order reaching all five services will do: once the fault is on, payments'
    // spans fail but the tree keeps its shape (breaker-refused orders never reach payments).
    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(2)).until(() -> {
      JsonNode traces = json("/api/search?service=gateway&operation="
          + URLEncoder.encode("POST /api/orders", StandardCharsets.UTF_8) + "&limit=50")
          .path("traces");
      for (JsonNode t : traces) {
        Set<String> services = new HashSet<>();
        t.path("services").forEach(s -> services.add(s.asText()));
        if (services.containsAll(SERVICES)) {
          found[0] = t.path("traceId").asText();
          return true;
        }
      }
      return false;
    });
    JsonNode trace = json("/api/traces/" + found[0]);
    assertThat(trace.path("roots")).as("one tree").hasSize(1);
    JsonNode root = trace.path("roots").get(0);
    assertThat(root.path("service").asText()).isEqualTo("gateway");
    assertThat(root.path("kind").asText()).isEqualTo("SERVER");
    JsonNode orders = findServer(root, "orders");
    assertThat(orders).as("orders under gateway").isNotNull();
    assertThat(orders.path("attributes").path("circuit_breaker.state").asText())
        .isIn("closed", "open", "half_open");
    assertThat(findServer(orders, "users")).as("users under orders").isNotNull();
    JsonNode inventory = findServer(orders, "inventory");
    assertThat(inventory).as("inventory under orders").isNotNull();
    assertThat(find(inventory, s -> s.path("attributes").has("db.system")
        || s.path("attributes").has("db.system.name"))).as("JDBC span under inventory")
        .isNotNull();
    JsonNode payments = findServer(orders, "payments");
    assertThat(payments).as("payments under orders").isNotNull();
    assertThat(payments.path("children")).extracting(c -> c.path("name").asText())
        .contains("validate card", "charge card");
    // The client's X-Correlation-ID reaches the root: the load generator's, or the demo's own for
    // the warm-up requests it sends before the load starts.
    assertThat(root.path("attributes").path("correlation_id").asText())
        .matches("lg-.+|demo-warm-up");
  }

  private void assertMetricsAreQueryable() {
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).untilAsserted(
        () -> {
          assertThat(labels("sum by (job) (http_requests_total)", "job"))
              .containsAll(SERVICES);
          assertThat(labels("db_connection_pool_usage", "pool")).contains("inventory");
          assertThat(labels("circuit_breaker_state{state=\"closed\"} == 1", "breaker"))
              .contains("payments");
          assertThat(labels("sum by (job) (http_request_duration_seconds_bucket)", "job"))
              .contains("gateway");
          assertThat(labels("sum by (service_name) (traces_span_metrics_calls_total)",
              "service_name")).containsAll(SERVICES);
        });
  }

  private List<String> labels(String promql, String label) throws Exception {
    JsonNode r = json("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<String> out = new ArrayList<>();
    r.path("data").path("result").forEach(s -> out.add(s.path("metric").path(label).asText()));
    return out;
  }

  private static JsonNode findServer(JsonNode from, String service) {
    return find(from, s -> s.path("service").asText().equals(service)
        && s.path("kind").asText().equals("SERVER"));
  }

  private static JsonNode find(JsonNode from, Predicate<JsonNode> p) {
    for (JsonNode c : from.path("children")) {
      if (p.test(c)) {
        return c;
      }
      JsonNode deeper = find(c, p);
      if (deeper != null) {
        return deeper;
      }
    }
    return null;
  }

  private JsonNode json(String path) throws Exception {
    return JSON.readTree(get("http://127.0.0.1:" + httpPort + path).body());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits for a printed line containing {@code part} and all of {@code more}; fails with the
   * output so far.
   */
  private String awaitLine(String part, Duration timeout, Process demo, String... more)
      throws InterruptedException {
    return awaitLine(l -> l.contains(part) && List.of(more).stream().allMatch(l::contains),
        timeout, demo);
  }

  /** Waits for a line after {@link #after} matching {@code p}; fails with the output so far. */
  private String awaitLine(Predicate<String> p, Duration timeout,
      Process demo) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (String l : lines.subList(after, lines.size())) {
        if (p.test(l)) {
          return l;
        }
      }
      if (!demo.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no expected line within " + timeout + "; demo printed:\n"
        + String.join("\n", lines));
  }

  private int indexOf(String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + part);
  }

  /** Reads the demo's output file as it grows, until the demo has exited and all is read. */
  private void follow(Process p, Path log) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
        StringBuilder partial = new StringBuilder();
        while (true) {
          boolean exited = !p.isAlive();
          int c;
          while ((c = r.read()) != -1) {
            if (c == '\n') {
              lines.add(partial.toString());
              partial.setLength(0);
            } else {
              partial.append((char) c);
            }
          }
          if (exited) {
            return;
          }
          Thread.sleep(100);
        }
      } catch (IOException | InterruptedException e) {
        lines.add("<output lost: " + e + ">");
      }
    }, "demo-output");
    t.setDaemon(true);
    t.start();
  }
}
