package dev.sextant.alert.promtool;

import dev.sextant.alert.query.QueryFunction;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.List;

/**
 * The PromQL side of a unit test: storage holding the input series, a query function over it, and
 * a writer so recorded series and ALERTS become queryable. The server provides one backed by the
 * real engine and an in-memory (or temp-dir) store.
 */
public interface TestEngine extends AutoCloseable {
  QueryFunction query();

  MetricWriter writer();

  @Override
  default void close() {}

  /** Creates an engine preloaded with a test group's input series. */
  @FunctionalInterface
  interface Factory {
    TestEngine create(List<TimeSeries> inputSeries) throws Exception;
  }
}
