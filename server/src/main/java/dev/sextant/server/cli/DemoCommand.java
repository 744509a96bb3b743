package dev.sextant.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.sextant.query.Durations;
import dev.sextant.server.SextantServer;
import dev.sextant.server.SextantServerBuilder;
import dev.sextant.server.config.ConfigYaml;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.demo.DemoOptions;
import dev.sextant.server.demo.ShopDemo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sextant demo}: Sextant on embedded storage with the sample shop (five services with the
 * agent, a load generator), its alert rules, a local PagerDuty, and a payment fault that pages and
 * then resolves. Runs until Ctrl-C, which stops every process it started.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run Sextant with the sample shop, its traffic, alerts and a local PagerDuty.")
final class DemoCommand implements Callable<Integer> {
  @Mixin
  ServerOptions options = new ServerOptions();

  @Option(names = "--shop-port", paramLabel = "PORT", defaultValue = "9100",
      description = "First shop port: gateway, users, orders, inventory, payments, then their "
          + "/metrics ports from PORT+100 (default: ${DEFAULT-VALUE}; 0: each binds a free port).")
  int shopPort;

  @Option(names = "--load-rate", paramLabel = "REQ/S", defaultValue = "5",
      description = "Load generator requests per second (default: ${DEFAULT-VALUE}).")
  double loadRate;

  @Option(names = "--load-mix", paramLabel = "MIX",
      defaultValue = "create-order=60,get-order=20,get-user=20",
      description = "Request mix by weight (default: ${DEFAULT-VALUE}).")
  String loadMix;

  @Option(names = "--fault-after", paramLabel = "DURATION", defaultValue = "2m",
      description = "When the payment fault is injected (default: ${DEFAULT-VALUE}).")
  String faultAfter;

  @Option(names = "--fault-hold", paramLabel = "DURATION", defaultValue = "1m",
      description = "How long it stays after the first page (default: ${DEFAULT-VALUE}).")
  String faultHold;

  @Option(names = "--fault-max", paramLabel = "DURATION", defaultValue = "5m",
      description = "Removed after this long even without a page (default: ${DEFAULT-VALUE}).")
  String faultMax;

  @Option(names = "--fault-error-rate", paramLabel = "RATIO", defaultValue = "0.8",
      description = "Share of the charges through provider acme (a third of them) failing "
          + "during the fault; 0 for no fault "
          + "(default: ${DEFAULT-VALUE}).")
  double faultErrorRate;

  @Option(names = "--breaker-open", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long the payments circuit breaker stays open (default: "
          + "${DEFAULT-VALUE}).")
  String breakerOpen;

  @Option(names = "--scrape-interval", paramLabel = "DURATION", defaultValue = "5s",
      description = "Scrape interval of the shop's /metrics (default: ${DEFAULT-VALUE}).")
  String scrapeInterval;

  @Option(names = "--group-interval", paramLabel = "DURATION", defaultValue = "15s",
      description = "Notifier group_interval (default: ${DEFAULT-VALUE}).")
  String groupInterval;

  @Option(names = "--eval-interval", paramLabel = "DURATION",
      description = "Override the rule groups' evaluation interval.")
  String evalInterval;

  @Option(names = "--alert-for", paramLabel = "DURATION",
      description = "Override every alert's 'for'.")
  String alertFor;

  @Option(names = "--alert-window", paramLabel = "DURATION",
      description = "Override the rules' [1m] range windows.")
  String alertWindow;

  @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "5m",
      description = "How long each shop service may take to start (default: ${DEFAULT-VALUE}).")
  String startTimeout;

  @Option(names = "--run-for", paramLabel = "DURATION",
      description = "Stop on its own after this long (default: run until Ctrl-C).")
  String runFor;

  @Option(names = "--home", paramLabel = "DIR",
      description = "Source tree, or unpacked release, with samples/ and the agent (default: "
          + "found from the jar).")
  Path home;

  @Override
  public Integer call() throws Exception {
    SextantConfig config = options.resolve();
    if (options.dataDir == null && System.getenv("SEXTANT_DATA_DIR") == null) {
      config.dataDir = "data/demo";
    }
    if (options.logLevel == null && System.getenv("SEXTANT_LOG_LEVEL") == null) {
      config.logLevel = "WARN"; // the demo prints its own story; server chatter would bury it
    }
    Logging.setLevel(config.logLevel);
    // Agent exporters that give up on a busy server show up as cancelled gRPC calls: not news.
    quiet("com.linecorp.armeria.server.DefaultUnloggedExceptionsReporter");
    quiet("io.micrometer");
    DemoOptions o = new DemoOptions();
    o.home = home;
    o.shopBasePort = shopPort;
    o.loadRate = loadRate;
    o.loadMix = loadMix;
    o.faultAfter = duration("--fault-after", faultAfter);
    o.faultHold = duration("--fault-hold", faultHold);
    o.faultMax = duration("--fault-max", faultMax);
    o.faultErrorRate = faultErrorRate;
    o.breakerOpen = duration("--breaker-open", breakerOpen);
    o.scrapeInterval = duration("--scrape-interval", scrapeInterval);
    o.groupInterval = duration("--group-interval", groupInterval);
    o.evaluationInterval = evalInterval == null ? null : duration("--eval-interval", evalInterval);
    o.alertFor = alertFor == null ? null : duration("--alert-for", alertFor);
    o.alertWindow = alertWindow == null ? null : duration("--alert-window", alertWindow);
    o.startTimeout = duration("--start-timeout", startTimeout);
    o.runFor = runFor == null ? null : duration("--run-for", runFor);
    SextantServerBuilder builder = serverBuilder(config);
    ShopDemo demo = new ShopDemo(o, builder, System.out);
    Thread hook = new Thread(() -> {
      try {
        demo.stop();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sextant-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    demo.run(Path.of(config.dataDir));
    return 0;
  }

  /**
   * The demo's server: this machine only (127.0.0.1) unless the config, env or flags name another
   * address, and the admin API on, since the demo's alerts page is there to be silenced; without
   * auth that is only safe on loopback (the server warns at start when it is not).
   */
  static SextantServerBuilder serverBuilder(SextantConfig config) {
    if (config.sources().where("bindAddress") == null) {
      config.bindAddress = "127.0.0.1";
    }
    return SextantServer.builder()
        .grpcPort(config.ports.grpc)
        .otlpHttpPort(config.ports.otlpHttp)
        .httpPort(config.ports.http)
        .bindAddress(config.bindAddress)
        .statusConfigYaml(ConfigYaml.masked(config))
        .enableAdminApi(true);
  }

  private static void quiet(String logger) {
    ((Logger) LoggerFactory.getLogger(logger))
        .setLevel(Level.ERROR);
  }

  private static Duration duration(String flag, String value) {
    return Durations.parse(flag, value);
  }
}
