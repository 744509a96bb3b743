package dev.sextant.storage;

import java.util.List;

/** Reads a whole trace. */
@FunctionalInterface
public interface TraceReader {
  /**
   * Every stored span of the trace, in no particular order, each once; empty when unknown (also
   * for the all-zero ID, which no stored span can have).
   *
   * @param traceId 32 hex characters, either case
   * @throws IllegalArgumentException when {@code traceId} is not 32 hex characters
   * @throws StorageException when the store is closed
   */
  List<Span> getTrace(String traceId);

  /**
   * At most {@code limit} spans of the trace (which ones is unspecified), read no further than
   * that: one client can send a trace too big to hold in memory. A caller that asks for one more
   * span than it shows learns whether the trace was cut. This default reads the whole trace
   * first; a store overrides it to stop at the limit.
   *
   * @param traceId 32 hex characters, either case
   * @throws IllegalArgumentException when {@code traceId} is not 32 hex characters or
   *     {@code limit} is not positive
   */
  default List<Span> getTrace(String traceId, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    List<Span> all = getTrace(traceId);
    return all.size() <= limit ? all : List.copyOf(all.subList(0, limit));
  }
}
