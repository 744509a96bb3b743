package dev.sextant.storage;

import java.util.List;

/** Reads a whole trace. */
@FunctionalInterface
public interface TraceReader {
  /**
   * Every stored span of the trace, in no particular order; empty when unknown.
   *
   * @param traceId 32 lowercase hex characters
   * @throws IllegalArgumentException when {@code traceId} is not 32 hex characters
   */
  List<Span> getTrace(String traceId);
}
