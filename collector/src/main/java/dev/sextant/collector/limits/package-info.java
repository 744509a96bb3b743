/**
 * What a collector lets in: {@link dev.sextant.collector.limits.IngestLimits} (sizes and counts
 * per request and per record) and {@link dev.sextant.collector.limits.RateLimits} (per tenant and
 * {@link dev.sextant.collector.limits.Signal}). Plain values the server builds from its config and
 * the collector's internals enforce; they depend on nothing else in the collector.
 */
package dev.sextant.collector.limits;
