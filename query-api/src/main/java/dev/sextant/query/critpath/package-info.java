/**
 * The critical path across traces: for an operation over a window, the share of its end-to-end
 * time each service and operation holds on the critical path (p50, p99, mean over a bounded sample
 * of traces), against the previous window of the same length. Entry point
 * {@link dev.sextant.query.critpath.CriticalPaths}; served at {@code GET /api/critical-path} by
 * {@code query.api}.
 */
package dev.sextant.query.critpath;
