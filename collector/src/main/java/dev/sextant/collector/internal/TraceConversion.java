package dev.sextant.collector.internal;

import dev.sextant.storage.Span;
import java.util.List;

/**
 * The outcome of converting one OTLP request: the spans to store, how many were rejected with
 * the first reason, and the first thing cut to the limits (a warning; null when nothing was) —
 * both for OTLP partial success.
 */
public record TraceConversion(List<Span> spans, long rejected, String errorMessage,
    String warning) {
  public TraceConversion(List<Span> spans, long rejected, String errorMessage) {
    this(spans, rejected, errorMessage, null);
  }
}
