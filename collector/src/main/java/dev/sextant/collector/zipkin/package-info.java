/**
 * Zipkin v2 spans: decoding of the JSON list and of the protobuf {@code ListOfSpans}
 * ({@code src/main/proto/zipkin2/zipkin.proto} is the schema the reader follows), and their
 * mapping to OTLP's trace request, so that they take the same ingest path, limits and storage as
 * OTLP spans. Knows nothing of HTTP or of the pipeline; {@code collector.internal} serves it.
 */
@NullMarked
package dev.sextant.collector.zipkin;

import org.jspecify.annotations.NullMarked;
