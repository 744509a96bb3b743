package dev.sextant.collector.internal;

import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.List;

/**
 * Series to store from one OTLP metrics request, the metadata of their metrics (kind,
 * description, unit), and the data points rejected (first reason).
 */
public record MetricConversion(List<TimeSeries> series, List<MetricMetadata> metadata,
    long rejected, String errorMessage) {}
