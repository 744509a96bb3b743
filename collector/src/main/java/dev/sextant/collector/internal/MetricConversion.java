package dev.sextant.collector.internal;

import dev.sextant.storage.metrics.TimeSeries;
import java.util.List;

/** Series to store from one OTLP metrics request, and the data points rejected (first reason). */
public record MetricConversion(List<TimeSeries> series, long rejected, String errorMessage) {}
