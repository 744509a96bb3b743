package dev.sextant.server;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.nio.file.Paths;

/** Builds a {@link SextantServer}. Defaults: data in {@code ./data}, ports 4317, 4318, 8686. */
public final class SextantServerBuilder {
  private Path dataDir = Paths.get("data");
  private int grpcPort = 4317;
  private int otlpHttpPort = 4318;
  private int httpPort = 8686;
  private String bindAddress = "0.0.0.0";
  private int maxRequestBytes = 16 << 20;

  SextantServerBuilder() {}

  public SextantServerBuilder dataDir(Path dataDir) {
    this.dataDir = requireNonNull(dataDir, "dataDir");
    return this;
  }

  /** OTLP gRPC port; 0 picks a free one. */
  public SextantServerBuilder grpcPort(int port) {
    this.grpcPort = checkPort("grpcPort", port);
    return this;
  }

  /** OTLP HTTP port; 0 picks a free one. */
  public SextantServerBuilder otlpHttpPort(int port) {
    this.otlpHttpPort = checkPort("otlpHttpPort", port);
    return this;
  }

  /** UI and query API port; 0 picks a free one. */
  public SextantServerBuilder httpPort(int port) {
    this.httpPort = checkPort("httpPort", port);
    return this;
  }

  /** Address to listen on (default every interface; tests use 127.0.0.1). */
  public SextantServerBuilder bindAddress(String address) {
    this.bindAddress = requireNonNull(address, "address");
    return this;
  }

  /** Largest OTLP request accepted (default 16 MiB). */
  public SextantServerBuilder maxRequestBytes(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: " + bytes + " (expected: > 0)");
    }
    this.maxRequestBytes = bytes;
    return this;
  }

  private static int checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535)");
    }
    return port;
  }

  public SextantServer build() {
    return new DefaultSextantServer(dataDir, grpcPort, otlpHttpPort, httpPort, bindAddress,
        maxRequestBytes);
  }
}
