/**
 * The OTLP front door: {@link dev.sextant.collector.Collector} (gRPC and HTTP services that
 * acknowledge only durable data), its builder, and the ingest and per-tenant rate limits it
 * enforces per {@link dev.sextant.collector.limits.Signal}.
 */
package dev.sextant.collector;
