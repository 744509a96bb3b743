/**
 * Sextant's extension of the OpenTelemetry Java agent, loaded through {@code ServiceLoader}:
 * defaults that point the SDK at Sextant, the {@code X-Correlation-ID} propagator and the
 * processors that copy it onto spans and log records, and the rate-limited sampler.
 */
package dev.sextant.agent;
