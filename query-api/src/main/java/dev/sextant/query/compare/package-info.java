/**
 * What sets a selection of traces apart (as Honeycomb's BubbleUp): traces picked by a condition
 * (errors, slower than a threshold, or all traces through a service and operation) against the
 * other traces of the same window, ranked by the attribute values most over-represented in the
 * selection. Entry point {@link dev.sextant.query.compare.TraceComparer}; served at
 * {@code GET /api/compare} by {@code query.api}.
 */
package dev.sextant.query.compare;
