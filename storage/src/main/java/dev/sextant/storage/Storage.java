package dev.sextant.storage;

import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;

/**
 * The storage component: the writers and readers of every signal. Obtain the embedded one with
 * {@link EmbeddedStorage#builder()}. Closing flushes and releases everything, and a second close
 * does nothing. Using a reader or writer after close fails with {@link StorageException}: a read
 * throws it, a write's future completes exceptionally with it.
 */
public interface Storage extends AutoCloseable {
  SpanConsumer spanConsumer();

  TraceReader traceReader();

  /** Trace search over the span index: by service, name, attributes, duration, errors, time. */
  SpanSearch spanSearch();

  LogConsumer logConsumer();

  LogReader logReader();

  MetricWriter metricWriter();

  MetricReader metricReader();

  /**
   * Records kept in storage (a span still readable by trace ID) but left out of the search
   * indexes since the store was opened, because Lucene refused them (see
   * {@link UnindexedRecords}).
   */
  default long unindexedRecords() {
    return 0;
  }

  /**
   * Positions in an external log kept atomically with log records (cluster mode's store role;
   * see {@link SourcePositions}).
   *
   * @throws UnsupportedOperationException when this storage keeps none (the default)
   */
  default SourcePositions sourcePositions() {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " keeps no source positions");
  }

  /**
   * The pinned set: traces and log lines kept past retention as an incident's evidence.
   *
   * @throws UnsupportedOperationException when this store keeps nothing past retention (the
   *     embedded storage does)
   */
  default Pins pins() {
    throw new UnsupportedOperationException("pins: not kept by " + getClass().getSimpleName());
  }

  /** Cheap liveness probe: throws when the store cannot serve (closed, I/O error). */
  void check();

  @Override
  void close();
}
