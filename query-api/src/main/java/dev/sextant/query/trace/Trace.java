package dev.sextant.query.trace;

import java.util.List;

/**
 * An assembled trace: top-level nodes (true roots first, then orphans, each by start time), the
 * span count, and problems found while assembling (duplicate span IDs, parent cycles).
 */
public record Trace(String traceId, List<TraceNode> roots, int spanCount, int depth,
    List<String> warnings) {}
