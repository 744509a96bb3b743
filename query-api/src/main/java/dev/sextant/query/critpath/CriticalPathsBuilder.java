package dev.sextant.query.critpath;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.sample.TraceSampler;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Storage;

/** Builds {@link CriticalPaths}; {@link #storage} is required. */
public final class CriticalPathsBuilder {
  private Storage storage;
  private int maxTraces = TraceSampler.DEFAULT_MAX_TRACES;
  private int maxSpans = TraceRead.DEFAULT_MAX_SPANS;

  CriticalPathsBuilder() {}

  public CriticalPathsBuilder storage(Storage storage) {
    this.storage = requireNonNull(storage, "storage");
    return this;
  }

  /** Most traces analysed per window (1-1000, default 200). */
  public CriticalPathsBuilder maxTraces(int maxTraces) {
    this.maxTraces = TraceSampler.checkMaxTraces("maxTraces", maxTraces);
    return this;
  }

  /** Most spans read per window (1-10,000,000, default 100,000). */
  public CriticalPathsBuilder maxSpans(int maxSpans) {
    this.maxSpans = TraceRead.checkMaxSpans("maxSpans", maxSpans);
    return this;
  }

  public CriticalPaths build() {
    if (storage == null) {
      throw new IllegalStateException("storage: not set (expected: storage(Storage) called)");
    }
    return new DefaultCriticalPaths(storage, maxTraces, maxSpans);
  }
}
