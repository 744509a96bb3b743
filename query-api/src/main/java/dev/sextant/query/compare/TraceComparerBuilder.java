package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.sample.TraceSampler;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Storage;

/** Builds a {@link TraceComparer}; {@link #storage} is required. */
public final class TraceComparerBuilder {
  private Storage storage;
  private int maxTracesPerSide = TraceSampler.DEFAULT_MAX_TRACES;
  private int maxSpans = TraceRead.DEFAULT_MAX_SPANS;

  TraceComparerBuilder() {}

  public TraceComparerBuilder storage(Storage storage) {
    this.storage = requireNonNull(storage, "storage");
    return this;
  }

  /** Most traces analysed per side (1-1000, default 200). */
  public TraceComparerBuilder maxTracesPerSide(int maxTracesPerSide) {
    this.maxTracesPerSide = TraceSampler.checkMaxTraces("maxTracesPerSide", maxTracesPerSide);
    return this;
  }

  /** Most spans read per side (1-10,000,000, default 100,000). */
  public TraceComparerBuilder maxSpans(int maxSpans) {
    this.maxSpans = TraceRead.checkMaxSpans("maxSpans", maxSpans);
    return this;
  }

  public TraceComparer build() {
    if (storage == null) {
      throw new IllegalStateException("storage: not set (expected: storage(Storage) called)");
    }
    return new DefaultTraceComparer(storage, maxTracesPerSide, maxSpans);
  }
}
