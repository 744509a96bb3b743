package dev.sextant.collector;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import static java.util.Objects.requireNonNull;

import dev.sextant.collector.internal.IngestPipeline;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.metrics.MetricWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/** Builds a {@link Collector}. A span consumer is required; everything else has defaults. */
public final class CollectorBuilder {
  SpanConsumer spanConsumer;
  LogConsumer logConsumer;
  MetricWriter metricWriter;
  IngestLimits limits = IngestLimits.defaults();
  RateLimits rateLimits = RateLimits.unlimited();
  long queueBytes = 256L << 20;
  List<ScrapeConfig> scrapeConfigs = List.of();
  Duration redMetricsInterval = Duration.ofSeconds(15);
  Function<String, MetricWriter> redMetricsWriters;
  Path diskDir;
  long minFreeDiskBytes;
  Duration writeTimeout = IngestPipeline.DEFAULT_WRITE_TIMEOUT;

  CollectorBuilder() {}

  public CollectorBuilder spanConsumer(SpanConsumer spanConsumer) {
    this.spanConsumer = requireNonNull(spanConsumer, "spanConsumer");
    return this;
  }

  /** Where OTLP logs go; without one, the logs endpoints are not served. */
  public CollectorBuilder logConsumer(LogConsumer logConsumer) {
    this.logConsumer = requireNonNull(logConsumer, "logConsumer");
    return this;
  }

  /** Where OTLP metrics go; without one, the metrics endpoints are not served. */
  public CollectorBuilder metricWriter(MetricWriter metricWriter) {
    this.metricWriter = requireNonNull(metricWriter, "metricWriter");
    return this;
  }

  public CollectorBuilder limits(IngestLimits limits) {
    this.limits = requireNonNull(limits, "limits");
    return this;
  }

  /** Shortcut for {@code limits(IngestLimits.builder().maxRequestBytes(n).build())}. */
  public CollectorBuilder maxRequestBytes(int maxRequestBytes) {
    this.limits = IngestLimits.builder().maxRequestBytes(maxRequestBytes).build();
    return this;
  }

  public CollectorBuilder rateLimits(RateLimits rateLimits) {
    this.rateLimits = requireNonNull(rateLimits, "rateLimits");
    return this;
  }

  /**
   * Byte budget of the ingest queue: request bytes decoded but not yet durably stored (default 256
   * MiB). Over it, requests are refused with 503 / UNAVAILABLE and a retry hint.
   */
  public CollectorBuilder queueBytes(long queueBytes) {
    if (queueBytes <= 0) {
      throw new IllegalArgumentException("queueBytes: " + queueBytes + " (expected: > 0)");
    }
    this.queueBytes = queueBytes;
    return this;
  }

  /**
   * Refuses ingest with 503 / UNAVAILABLE and a retry hint (nothing stored) while the file system
   * holding {@code dataDir} has fewer than {@code minFreeBytes} usable bytes (default: off; 0
   * turns it off). Usable space is re-read at most every 200 ms.
   */
  public CollectorBuilder minFreeDisk(Path dataDir, long minFreeBytes) {
    requireNonNull(dataDir, "dataDir");
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes: " + minFreeBytes + " (expected: >= 0)");
    }
    this.diskDir = dataDir;
    this.minFreeDiskBytes = minFreeBytes;
    return this;
  }

  /**
   * How long an OTLP request waits for storage to confirm its write (default 5 s, under the
   * OpenTelemetry SDK exporters' 10 s timeout). Past it the request is answered 503 /
   * UNAVAILABLE with a retry hint instead of timing out; the write may still complete, so a
   * retried span or metric sample is deduplicated by storage while a retried log record may be
   * stored twice.
   */
  public CollectorBuilder writeTimeout(Duration writeTimeout) {
    requireNonNull(writeTimeout, "writeTimeout");
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout: " + writeTimeout + " (expected: > 0)");
    }
    this.writeTimeout = writeTimeout;
    return this;
  }

  /** Prometheus targets to scrape into the metric writer (default: none). */
  public CollectorBuilder scrapeConfigs(List<ScrapeConfig> scrapeConfigs) {
    this.scrapeConfigs = List.copyOf(requireNonNull(scrapeConfigs, "scrapeConfigs"));
    return this;
  }

  /**
   * How often span-derived RED metrics are written (default 15 s); {@link Duration#ZERO}
   * disables them. Needs a metric writer.
   */
  public CollectorBuilder redMetricsInterval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("redMetricsInterval: " + interval + " (expected: >= 0)");
    }
    this.redMetricsInterval = interval;
    return this;
  }

  /**
   * Keeps span-derived RED metrics per tenant (the {@code X-Scope-OrgID} of the requests that
   * carried the spans, {@code default} without one) and writes each tenant's into
   * {@code writers.apply(tenant)}, so that one tenant's services never show up in another's
   * series. Default: every tenant's spans count together, written to the metric writer. Called
   * on the flushing thread, outside any request; the writer of a tenant whose spans were just
   * stored must be at hand.
   */
  public CollectorBuilder redMetricsWriters(
      Function<String, MetricWriter> writers) {
    this.redMetricsWriters = requireNonNull(writers, "writers");
    return this;
  }

  public Collector build() {
    if (spanConsumer == null) {
      throw new IllegalStateException("spanConsumer: not set");
    }
    if (metricWriter == null && !scrapeConfigs.isEmpty()) {
      throw new IllegalStateException("scrapeConfigs: set, but no metricWriter to store into");
    }
    return new DefaultCollector(this);
  }
}
