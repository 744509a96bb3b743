/**
 * Prometheus remote write 1.0 into the collector's ingest pipeline: {@link
 * dev.sextant.collector.remotewrite.RemoteWriteService} ({@code POST /api/v1/write} on the OTLP
 * HTTP port), a bounded pure-Java Snappy block decoder, and the conversion of a
 * {@code prometheus.WriteRequest} (generated from {@code src/main/proto/prompb}) to series and
 * metric metadata.
 */
package dev.sextant.collector.remotewrite;
