package dev.sextant.query.critpath;

import static java.util.Objects.requireNonNull;

/**
 * The operation (a span name of a service) whose traces are aggregated over
 * {@code [fromUnixNano, toUnixNano)}; the previous window is the same length just before.
 */
public record CriticalPathQuery(String service, String operation, long fromUnixNano,
    long toUnixNano) {
  public CriticalPathQuery {
    requireNonNull(service, "service");
    requireNonNull(operation, "operation");
    if (service.isEmpty()) {
      throw new IllegalArgumentException("service: '' (expected: a service name)");
    }
    if (operation.isEmpty()) {
      throw new IllegalArgumentException("operation: '' (expected: a span name of the service)");
    }
    if (fromUnixNano > toUnixNano) {
      throw new IllegalArgumentException("toUnixNano: " + toUnixNano + " (expected: >= "
          + fromUnixNano + ")");
    }
  }

  /** The window of the same length just before this one (starting at 0 at the earliest). */
  public CriticalPathQuery previous() {
    long len = toUnixNano - fromUnixNano;
    return new CriticalPathQuery(service, operation, Math.max(0, fromUnixNano - len),
        fromUnixNano);
  }
}
