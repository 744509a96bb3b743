package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.sample.TraceReads;
import dev.sextant.query.sample.TraceSample;
import dev.sextant.query.sample.TraceSampler;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQueryBuilder;
import java.util.List;
import java.util.function.Consumer;

final class DefaultTraceComparer implements TraceComparer {
  private final Storage storage;
  private final int maxTraces;
  private final int maxSpans;

  DefaultTraceComparer(Storage storage, int maxTraces, int maxSpans) {
    this.storage = storage;
    this.maxTraces = maxTraces;
    this.maxSpans = maxSpans;
  }

  @Override
  public Comparison compare(CompareQuery q) {
    requireNonNull(q, "query");
    Selection sel = q.selection();
    Consumer<TraceQueryBuilder> population = b -> {
      if (!q.service().isEmpty()) {
        b.serviceName(q.service());
      }
      if (!q.operation().isEmpty()) {
        b.spanName(q.operation());
      }
    };
    TraceSample selected = TraceSampler.sample(storage.spanSearch(),
        population.andThen(sel::criteria), q.fromUnixNano(), q.toUnixNano(), maxTraces,
        id -> false);
    // For "all" the baseline is every trace of the window; the others share the population.
    Consumer<TraceQueryBuilder> others = sel.kind() == Selection.Kind.ALL ? b -> { } : population;
    TraceSample baseline = TraceSampler.sample(storage.spanSearch(), others, q.fromUnixNano(),
        q.toUnixNano(), maxTraces, selected.candidateIds()::contains);

    FieldCounts counts = new FieldCounts(sel.kind() == Selection.Kind.ERROR);
    TraceReads selReads = TraceReads.read(storage.traceReader(), selected, maxSpans);
    for (List<Span> t : selReads.traces()) {
      counts.add(0, t);
    }
    TraceReads baseReads = TraceReads.read(storage.traceReader(), baseline, maxSpans);
    int reclassified = 0;
    for (List<Span> t : baseReads.traces()) {
      // A trace the capped selection searches missed still meets the condition: not a baseline.
      if (sel.matches(t, q.service(), q.operation())) {
        reclassified++;
      } else {
        counts.add(1, t);
      }
    }
    Comparison.Side selSide = new Comparison.Side(selected.candidates(),
        selected.candidatesCapped(), counts.traces(0), selected.sampled(), 0);
    Comparison.Side baseSide = new Comparison.Side(baseline.candidates(),
        baseline.candidatesCapped(), counts.traces(1), baseline.sampled(), reclassified);
    List<Comparison.IgnoredKey> ignored = counts.ignored();
    return new Comparison(q, selSide, baseSide, selReads.truncated() || baseReads.truncated(),
        counts.rank(q.limit()), ignored.size() <= 50 ? ignored : ignored.subList(0, 50),
        sel.noun(q.service(), q.operation()));
  }
}
