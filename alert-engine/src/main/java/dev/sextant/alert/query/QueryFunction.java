package dev.sextant.alert.query;

import java.time.Instant;
import java.util.List;

/**
 * Evaluates an instant PromQL query, as Prometheus's {@code rules.QueryFunc}. The alert engine
 * never parses PromQL itself; the server plugs its engine in here.
 *
 * <p>Implementations return the instant vector at {@code time} (a scalar result becomes one sample
 * with empty labels) and throw on a parse or evaluation error; the rule records the error as its
 * health and the evaluation of the other rules continues.
 */
@FunctionalInterface
public interface QueryFunction {
  List<Sample> query(String expr, Instant time) throws Exception;
}
