package dev.sextant.collector.internal;

import dev.sextant.storage.Span;
import java.util.List;

/**
 * The outcome of converting one OTLP request: the spans to store, and how many were rejected with
 * the first reason (for OTLP partial success).
 */
public record TraceConversion(List<Span> spans, long rejected, String errorMessage) {}
