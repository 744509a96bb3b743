package dev.sextant.server.config;

/**
 * The configuration file's shape (YAML). Every field has a default, so an empty or missing file
 * is a valid configuration. Field names are the YAML keys.
 */
public final class SextantConfig {
  public String dataDir = "data";
  public String bindAddress = "0.0.0.0";
  public String logLevel = "INFO";
  public Ports ports = new Ports();
  public Limits limits = new Limits();

  /** {@code ports:} section. */
  public static final class Ports {
    public int grpc = 4317;
    public int otlpHttp = 4318;
    public int http = 8686;
  }

  /** {@code limits:} section. */
  public static final class Limits {
    /** Largest OTLP request body in bytes; 0 keeps the default (16 MiB). */
    public int maxRequestBytes;
  }
}
