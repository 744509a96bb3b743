/**
 * The ingest path behind the collector: the HTTP receiving path OTLP/HTTP and Zipkin's intake
 * share ({@code HttpIngest}), OTLP decoding (protobuf, JSON, gzip, lenient per item),
 * validation and conversion of spans, logs and metrics to the store's model, byte budget, rate
 * limits, disk-space guard, deadlines, OTLP errors and self-metrics. Not API.
 */
package dev.sextant.collector.internal;
