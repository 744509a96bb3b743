package dev.sextant.alert.promql;

import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.query.Sample;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.metrics.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The alert engine's query function over Sextant's PromQL engine (instant queries). */
public final class PromqlQueryFunction implements QueryFunction {
  private final PromqlEngine engine;

  public PromqlQueryFunction(PromqlEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  @Override
  public List<Sample> query(String expr, Instant time) {
    QueryResult r = engine.instantQuery(expr, time.toEpochMilli());
    switch (r.type()) {
      case SCALAR:
        return List.of(new Sample(Labels.EMPTY, r.scalar()));
      case VECTOR: {
        List<Sample> out = new ArrayList<>(r.vector().size());
        for (QueryResult.Sample s : r.vector()) {
          out.add(new Sample(s.labels(), s.value()));
        }
        return out;
      }
      default:
        throw new IllegalArgumentException("rule expression must return an instant vector or a "
            + "scalar, got " + r.type() + ": " + expr);
    }
  }
}
