package dev.sextant.server;

import java.nio.file.Path;

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

  /** Graceful stop: refuse new requests, complete in-flight ones, close storage. Idempotent. */
  @Override
  void close();
}
