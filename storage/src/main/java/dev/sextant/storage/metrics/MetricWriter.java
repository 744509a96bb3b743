package dev.sextant.storage.metrics;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Appends samples. The future completes once the samples are durable (survive a crash). */
public interface MetricWriter {
  CompletableFuture<Void> write(List<TimeSeries> series);
}
