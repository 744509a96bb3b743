package dev.sextant.query.promql;

import dev.sextant.query.promql.parser.ValueType;
import dev.sextant.storage.metrics.Labels;
import java.util.List;

/**
 * The answer to a query. Exactly one of the value accessors applies, chosen by {@link #type()}:
 * {@code SCALAR} and {@code STRING} use {@link #scalar()} / {@link #string()} at {@link #timeMs()};
 * {@code VECTOR} uses {@link #vector()} (each sample at the evaluation time); {@code MATRIX} uses
 * {@link #matrix()}, series sorted by labels for range queries. Annotations are complete
 * Prometheus-style messages ending in the position they refer to, e.g. {@code (1:5)}.
 */
public record QueryResult(ValueType type, long timeMs, double scalar, String string,
    List<Sample> vector, List<Series> matrix, List<String> warnings, List<String> infos) {

  /** One instant-vector element. */
  public record Sample(Labels labels, long timeMs, double value) {}

  /** One series of a matrix; {@code timesMs} and {@code values} have equal length. */
  public record Series(Labels labels, long[] timesMs, double[] values) {}
}
