package dev.sextant.server.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Checks a resolved config (file, env vars and flags applied) before anything starts, so a bad
 * value stops the server at once with the key and where it was set, instead of surfacing later
 * as a bind failure, an OOM or a silent clamp. Bounds (0 in {@code limits:} and
 * {@code ingest.queueBytes} keeps the default):
 *
 * <ul>
 *   <li>{@code ports.grpc}, {@code ports.otlpHttp}, {@code ports.http}: 0-65535 and pairwise
 *       distinct (0, a free port each, may repeat). Roles are decided by port, so a shared port
 *       would let an ingest token read and administer.
 *   <li>{@code limits.maxRequestBytes}: 1 KiB-1 GiB, and at most {@code ingest.queueBytes}
 *       (a bigger request could never be queued).
 *   <li>{@code limits.maxAttributes}, {@code maxEventsPerSpan}, {@code maxLinksPerSpan}: 1-10000;
 *       {@code limits.maxAttributeValueLength}: 1-1048576; {@code limits.maxAnyValueDepth}: 1-32.
 *   <li>{@code ingest.queueBytes}: 1 MiB-64 GiB.
 *   <li>{@code tenancy.maxTenants}: 1-10000.
 *   <li>{@code health.minFreeDiskBytes} >= 0; {@code health.maxHeapUsedRatio} in (0, 1].
 * </ul>
 */
public final class ConfigValidator {
  static final int DEFAULT_MAX_REQUEST_BYTES = 16 << 20;
  static final long DEFAULT_QUEUE_BYTES = 256L << 20;

  private ConfigValidator() {}

  /**
   * Validates {@code c}.
   *
   * @throws IllegalArgumentException naming the key (or the flag or env var that set it), its
   *     line in the config file, the value and the bounds
   */
  public static void validate(SextantConfig c) {
    ConfigSources src = c.sources();
    try {
      ports(c);
      SextantConfig.Limits l = c.limits;
      range("limits.maxRequestBytes", l.maxRequestBytes, 1024, 1L << 30, "1024-1073741824");
      range("limits.maxAttributes", l.maxAttributes, 1, 10_000, "1-10000");
      range("limits.maxAttributeValueLength", l.maxAttributeValueLength, 1, 1 << 20,
          "1-1048576");
      range("limits.maxAnyValueDepth", l.maxAnyValueDepth, 1, 32, "1-32");
      range("limits.maxEventsPerSpan", l.maxEventsPerSpan, 1, 10_000, "1-10000");
      range("limits.maxLinksPerSpan", l.maxLinksPerSpan, 1, 10_000, "1-10000");
      range("ingest.queueBytes", c.ingest.queueBytes, 1L << 20, 64L << 30,
          "1048576-68719476736");
      long request = l.maxRequestBytes > 0 ? l.maxRequestBytes : DEFAULT_MAX_REQUEST_BYTES;
      long queue = c.ingest.queueBytes > 0 ? c.ingest.queueBytes : DEFAULT_QUEUE_BYTES;
      if (request > queue) {
        String key = l.maxRequestBytes > 0 ? "limits.maxRequestBytes" : "ingest.queueBytes";
        throw new IllegalArgumentException(key + ": " + (key.startsWith("limits") ? request
            : queue) + " (expected: limits.maxRequestBytes " + request
            + " <= ingest.queueBytes " + queue + ", or no request could ever be queued)");
      }
      if (c.tenancy.maxTenants < 1 || c.tenancy.maxTenants > 10_000) {
        throw new IllegalArgumentException("tenancy.maxTenants: " + c.tenancy.maxTenants
            + " (expected: 1-10000)");
      }
      if (c.health.minFreeDiskBytes < 0) {
        throw new IllegalArgumentException("health.minFreeDiskBytes: "
            + c.health.minFreeDiskBytes + " (expected: >= 0)");
      }
      if (!(c.health.maxHeapUsedRatio > 0 && c.health.maxHeapUsedRatio <= 1)) {
        throw new IllegalArgumentException("health.maxHeapUsedRatio: "
            + c.health.maxHeapUsedRatio + " (expected: > 0 and <= 1)");
      }
    } catch (IllegalArgumentException e) {
      throw src.locate(e);
    }
  }

  private static void ports(SextantConfig c) {
    ConfigSources src = c.sources();
    List<String> keys = List.of("ports.grpc", "ports.otlpHttp", "ports.http");
    List<Integer> values = List.of(c.ports.grpc, c.ports.otlpHttp, c.ports.http);
    for (int i = 0; i < keys.size(); i++) {
      if (values.get(i) < 0 || values.get(i) > 65535) {
        throw new IllegalArgumentException(keys.get(i) + ": " + values.get(i)
            + " (expected: 0-65535; 0 picks a free port)");
      }
    }
    for (int i = 0; i < keys.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (values.get(i) != 0 && values.get(i).equals(values.get(j))) {
          // Name the one that overrides first: the flag or env var that made the clash.
          List<String> clash = new ArrayList<>(List.of(keys.get(i), keys.get(j)));
          if (src.rank(clash.get(1)) > src.rank(clash.get(0))) {
            Collections.reverse(clash);
          }
          String other = clash.get(1);
          String otherWhere = src.where(other);
          throw new IllegalArgumentException(clash.get(0) + ": " + values.get(i)
              + ", the same port as " + src.name(other)
              + (otherWhere == null ? " (its default)" : otherWhere.equals(src.name(other))
                  ? "" : " (" + otherWhere + ")")
              + " (expected: ports.grpc, ports.otlpHttp and ports.http distinct, since roles "
              + "are decided by port; 0 picks a free port)");
        }
      }
    }
  }

  private static void range(String key, long value, long min, long max, String bounds) {
    if (value != 0 && (value < min || value > max)) {
      throw new IllegalArgumentException(key + ": " + value + " (expected: 0 for the default, or "
          + bounds + ")");
    }
  }
}
