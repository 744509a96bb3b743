package dev.sextant.query.api;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.Params;
import dev.sextant.query.graph.ServiceGraphs;
import dev.sextant.query.prometheus.ActiveTarget;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.sample.TraceSampler;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Storage;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Builds a {@link QueryApi}. {@link #storage(Storage)} is required; the engine is optional. */
public final class QueryApiBuilder {
  private Storage storage;
  private PromqlEngine engine;
  private int maxGraphTraces = ServiceGraphs.DEFAULT_MAX_TRACES;
  private int maxSpans = TraceRead.DEFAULT_MAX_SPANS;
  private int maxAnswerTraces = TraceSampler.DEFAULT_MAX_TRACES;
  private Supplier<List<ActiveTarget>> scrapeTargets = List::of;

  QueryApiBuilder() {}

  public QueryApiBuilder storage(Storage storage) {
    this.storage = requireNonNull(storage, "storage");
    return this;
  }

  /**
   * The PromQL engine behind golden signals and the Prometheus-compatible API; without one,
   * golden signals answer 503 and {@code /api/v1} is not served.
   */
  public QueryApiBuilder engine(@Nullable PromqlEngine engine) {
    this.engine = engine;
    return this;
  }

  /** Most traces the service graph reads per request (1-{@value Params#MAX_LIMIT}, default 500). */
  public QueryApiBuilder maxGraphTraces(int maxGraphTraces) {
    if (maxGraphTraces < 1 || maxGraphTraces > Params.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "maxGraphTraces: " + maxGraphTraces + " (expected: 1-" + Params.MAX_LIMIT + ")");
    }
    this.maxGraphTraces = maxGraphTraces;
    return this;
  }

  /**
   * Most spans one answer reads (1-10,000,000, default {@value TraceRead#DEFAULT_MAX_SPANS}): a
   * Jaeger trace past it is cut and says {@code truncated}; a Jaeger search, a correlation and a
   * service graph read at most that many over all their traces.
   */
  public QueryApiBuilder maxSpansPerTrace(int maxSpans) {
    this.maxSpans = TraceRead.checkMaxSpans("maxSpansPerTrace", maxSpans);
    return this;
  }

  /**
   * Most traces {@code /api/compare} analyses per side and {@code /api/critical-path} per window
   * (1-{@value TraceSampler#MAX_TRACES}, default {@value TraceSampler#DEFAULT_MAX_TRACES}): a
   * window holding more is sampled, and the answer says {@code sampled}.
   */
  public QueryApiBuilder maxAnswerTraces(int maxAnswerTraces) {
    this.maxAnswerTraces = TraceSampler.checkMaxTraces("maxAnswerTraces", maxAnswerTraces);
    return this;
  }

  /**
   * The scrape targets {@code /api/v1/targets} lists (default: none), asked on every such
   * request, in the request's context (so a per-tenant answer can read the tenant).
   */
  public QueryApiBuilder scrapeTargets(Supplier<List<ActiveTarget>> scrapeTargets) {
    this.scrapeTargets = requireNonNull(scrapeTargets, "scrapeTargets");
    return this;
  }

  public QueryApi build() {
    if (storage == null) {
      throw new IllegalStateException("storage: not set (expected: storage(Storage) called)");
    }
    return new DefaultQueryApi(storage, engine, maxGraphTraces, maxSpans, maxAnswerTraces,
        scrapeTargets);
  }
}
