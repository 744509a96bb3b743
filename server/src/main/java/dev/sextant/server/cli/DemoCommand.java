package dev.sextant.server.cli;

import dev.sextant.server.SextantServer;
import dev.sextant.server.config.SextantConfig;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sextant demo}: starts the server and sends a few real traces to it with the
 * OpenTelemetry SDK, then prints where to look. Runs until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start Sextant and send it sample traces with the OpenTelemetry SDK.")
final class DemoCommand implements Callable<Integer> {
  @Mixin
  ServerOptions options = new ServerOptions();

  @Override
  public Integer call() throws Exception {
    SextantConfig config = options.resolve();
    if (options.dataDir == null && System.getenv("SEXTANT_DATA_DIR") == null) {
      config.dataDir = "data/demo";
    }
    Logging.setLevel(config.logLevel);
    SextantServer server = ServerOptions.build(config);
    CountDownLatch stopped = ServerOptions.startUntilSignalled(server);
    List<String> traceIds = DemoTraffic.send("http://127.0.0.1:" + server.grpcPort(), 3);
    String base = "http://localhost:" + server.httpPort();
    System.out.println();
    System.out.println("Sextant demo is running. Sent " + traceIds.size()
        + " shop traces (gateway -> orders -> inventory, payments) over OTLP gRPC.");
    System.out.println("Open the UI:  " + base + "/ui/search");
    for (String id : traceIds) {
      System.out.println("  waterfall: " + base + "/ui/traces/" + id + "   JSON: curl -s "
          + base + "/api/traces/" + id);
    }
    System.out.println("Span-derived RED metrics (after ~15 s): curl -s '" + base
        + "/api/v1/query?query=sum%20by%20(service_name)(traces_span_metrics_calls_total)'");
    System.out.println("Health:  " + base + "/health    Self-metrics: " + base + "/metrics");
    System.out.println("Point your own OpenTelemetry SDK at OTLP gRPC :" + server.grpcPort()
        + " or OTLP HTTP :" + server.otlpHttpPort() + ". Press Ctrl-C to stop.");
    stopped.await();
    return 0;
  }
}
