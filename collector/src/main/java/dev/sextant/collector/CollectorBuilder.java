package dev.sextant.collector;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.SpanConsumer;

/** Builds a {@link Collector}. A span consumer is required. */
public final class CollectorBuilder {
  private SpanConsumer spanConsumer;
  private int maxRequestBytes = 16 << 20;

  CollectorBuilder() {}

  public CollectorBuilder spanConsumer(SpanConsumer spanConsumer) {
    this.spanConsumer = requireNonNull(spanConsumer, "spanConsumer");
    return this;
  }

  /** Largest request body accepted, after decompression (default 16 MiB). */
  public CollectorBuilder maxRequestBytes(int maxRequestBytes) {
    if (maxRequestBytes <= 0) {
      throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: > 0)");
    }
    this.maxRequestBytes = maxRequestBytes;
    return this;
  }

  public Collector build() {
    if (spanConsumer == null) {
      throw new IllegalStateException("spanConsumer: not set");
    }
    return new DefaultCollector(spanConsumer, maxRequestBytes);
  }
}
