package dev.sextant.agent;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code otel.*} defaults that point an agent at Sextant. They are offered as a properties
 * supplier, so every {@code otel.*} system property, environment variable or configuration file
 * entry the user sets still wins.
 */
final class SextantDefaults {
  static final String DEFAULT_ENDPOINT = "http://localhost:4317";

  /**
   * Computes the defaults from system properties ({@code sextant.endpoint}, {@code
   * sextant.service.name}, {@code sextant.sampler.rate-limit}) and the matching environment
   * variables ({@code SEXTANT_ENDPOINT}, ...); a system property beats its environment variable.
   *
   * @throws ConfigurationException if the endpoint is not an http(s) URL
   */
  static Map<String, String> compute(Function<String, String> sysProps,
      Function<String, String> env) {
    Map<String, String> defaults = new LinkedHashMap<>();
    String endpoint = setting("sextant.endpoint", sysProps, env);
    if (endpoint == null) {
      endpoint = DEFAULT_ENDPOINT;
    }
    String lower = endpoint.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new ConfigurationException(
          "sextant.endpoint: " + endpoint + " (expected: an http:// or https:// URL)");
    }
    defaults.put("otel.exporter.otlp.endpoint", endpoint);
    defaults.put("otel.exporter.otlp.protocol", "grpc");
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "otlp");
    defaults.put("otel.logs.exporter", "otlp");
    // Saturation signals: runtime (CPU, heap, GC, threads) and pool metrics are wanted on.
    defaults.put("otel.instrumentation.runtime-telemetry.enabled", "true");
    // Server thread pools (busy/limit) come from JMX rules the agent ships but does not enable.
    defaults.put("otel.jmx.metrics.experimental.included", "tomcat,jetty");
    // The agent adds thread.id and thread.name to every span: two attributes per span to set,
    // export and store that Sextant shows nowhere. Back with otel.javaagent.add-thread-details=true.
    defaults.put("otel.javaagent.add-thread-details", "false");

    String serviceName = setting("sextant.service.name", sysProps, env);
    if (serviceName == null && !resourceNamesService(sysProps, env)) {
      serviceName = fromJavaCommand(sysProps.apply("sun.java.command"));
    }
    if (serviceName != null) {
      defaults.put("otel.service.name", serviceName);
    }
    if (setting(RateLimitedSamplerProvider.RATE_PROPERTY, sysProps, env) != null) {
      defaults.put("otel.traces.sampler", RateLimitedSamplerProvider.NAME);
    }
    return defaults;
  }

  /** {@code sextant.a.b-c} as a system property, else as the environment variable SEXTANT_A_B_C. */
  static String setting(String name, Function<String, String> sysProps,
      Function<String, String> env) {
    String value = trimToNull(sysProps.apply(name));
    if (value == null) {
      value = trimToNull(env.apply(name.toUpperCase(Locale.ROOT).replace('.', '_')
          .replace('-', '_')));
    }
    return value;
  }

  private static boolean resourceNamesService(Function<String, String> sysProps,
      Function<String, String> env) {
    String attributes = sysProps.apply("otel.resource.attributes");
    if (attributes == null) {
      attributes = env.apply("OTEL_RESOURCE_ATTRIBUTES");
    }
    return attributes != null && attributes.matches("(^|.*,)\\s*service\\.name\\s*=.*");
  }

  /**
   * A service name from {@code sun.java.command}: the jar's file name without {@code .jar}, or the
   * main class's simple name; {@code null} when the command is unknown.
   */
  static String fromJavaCommand(String command) {
    command = trimToNull(command);
    if (command == null) {
      return null;
    }
    String first = command.split("\\s+", 2)[0];
    if (first.toLowerCase(Locale.ROOT).endsWith(".jar")) {
      String file = first.substring(Math.max(first.lastIndexOf('/'), first.lastIndexOf('\\')) + 1);
      return trimToNull(file.substring(0, file.length() - 4));
    }
    return trimToNull(first.substring(first.lastIndexOf('.') + 1));
  }

  private static String trimToNull(String s) {
    if (s == null) {
      return null;
    }
    s = s.trim();
    return s.isEmpty() ? null : s;
  }

  private SextantDefaults() {}
}
