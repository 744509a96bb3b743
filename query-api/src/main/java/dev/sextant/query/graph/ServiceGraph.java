package dev.sextant.query.graph;

import java.util.List;

/**
 * Service dependencies over a window: one edge per caller → callee pair, sorted by caller then
 * callee.
 *
 * @param services every service seen in the traces read, sorted
 * @param tracesScanned traces read to build the graph
 * @param truncated true when the window held more traces than were read
 */
public record ServiceGraph(List<String> services, List<Edge> edges, int tracesScanned,
    boolean truncated) {

  public ServiceGraph {
    services = List.copyOf(services);
    edges = List.copyOf(edges);
  }

  /**
   * Calls from {@code caller} to {@code callee}. Latency percentiles (nearest rank) are of the
   * callee's span (the server or consumer side), or of the client span when the callee span is
   * missing and the edge comes from {@code peer.service}.
   */
  public record Edge(String caller, String callee, long calls, long errors, long p50Nanos,
      long p90Nanos, long p99Nanos) {}
}
