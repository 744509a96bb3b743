package dev.sextant.query.trace;

import java.util.List;

/**
 * An assembled trace: top-level nodes (true roots first, then orphans, each by start time), its
 * summary, and problems found while assembling (duplicate span IDs, parent cycles, skew).
 *
 * @param services distinct service names, in order of first appearance by start time
 */
public record Trace(String traceId, List<TraceNode> roots, int spanCount, int depth,
    int errorCount, List<String> services, long startUnixNano, long durationNanos,
    List<String> warnings) {}
