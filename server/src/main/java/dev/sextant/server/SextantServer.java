package dev.sextant.server;

import dev.sextant.collector.scrape.ScrapeConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole of Sextant in one process: storage, OTLP receivers and the query API on one Armeria
 * server listening on three ports. {@link #start()} binds the ports; {@link #close()} stops
 * accepting, finishes in-flight writes and closes storage.
 */
public interface SextantServer extends AutoCloseable {
  static SextantServerBuilder builder() {
    return new SextantServerBuilder();
  }

  /** Opens storage and binds every port; returns once the server accepts requests. */
  void start();

  /** The OTLP gRPC port actually bound (useful when 0 was asked for). */
  int grpcPort();

  /** The OTLP HTTP port actually bound. */
  int otlpHttpPort();

  /** The UI / query API port actually bound. */
  int httpPort();

  Path dataDir();

  /**
   * Scrapes {@code configs} too, from now on, next to the builder's: for targets whose address is
   * known only after the server started (the demo's shop binds port 0 and reports what it got).
   *
   * @throws IllegalStateException before {@link #start()} or after {@link #close()}
   */
  void addScrapeConfigs(List<ScrapeConfig> configs);

  /** Graceful stop: refuse new requests, complete in-flight ones, close storage. Idempotent. */
  @Override
  void close();
}
