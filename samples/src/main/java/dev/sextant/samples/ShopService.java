package dev.sextant.samples;

import dev.sextant.samples.internal.Faults;
import dev.sextant.samples.internal.HttpApp;
import dev.sextant.samples.internal.MetricsEndpoint;
import dev.sextant.samples.internal.ShopMetrics;
import java.io.IOException;

/** What every shop service has: its HTTP app, metrics, faults and metrics endpoint. */
final class ShopService {
  private final ShopMetrics metrics = new ShopMetrics();
  private final Faults faults = new Faults();
  private final HttpApp app;

  ShopService(String name) {
    this.app = new HttpApp(name, metrics, faults);
  }

  HttpApp app() {
    return app;
  }

  ShopMetrics metrics() {
    return metrics;
  }

  Faults faults() {
    return faults;
  }

  /** Starts both ports and returns {@code LISTENING <http> METRICS <metrics>}. */
  String start(int port, int metricsPort, int threads) throws IOException {
    int http = app.start(port, threads);
    MetricsEndpoint endpoint = new MetricsEndpoint(metricsPort, metrics.registry());
    return "LISTENING " + http + " METRICS " + endpoint.port();
  }
}
