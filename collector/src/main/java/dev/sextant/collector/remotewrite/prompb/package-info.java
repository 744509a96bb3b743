/**
 * Prometheus's remote-write protobuf messages ({@code prometheus.WriteRequest} and what it
 * holds), generated at build time by protoc from {@code src/main/proto/prompb}; not API.
 */
package dev.sextant.collector.remotewrite.prompb;
