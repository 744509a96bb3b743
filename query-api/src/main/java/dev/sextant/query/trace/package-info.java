/**
 * One trace read with a span cap, assembled into a tree (orphans, duplicates and parent cycles
 * kept and reported), analysed for clock skew, self time and critical path, written as JSON and
 * served at {@code GET /api/traces/{traceId}}.
 */
package dev.sextant.query.trace;
