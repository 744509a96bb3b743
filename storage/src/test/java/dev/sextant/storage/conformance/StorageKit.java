package dev.sextant.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * What every contract of the kit needs from the backend under test, and the write and read
 * helpers they share. {@link StorageConformance} implements it; see there for the hooks.
 */
public interface StorageKit {
  /** The store under test: fresh and empty for each test. */
  Storage storage();

  /** How to act as a tenant, or null when the backend has none. */
  Tenants tenants();

  /** A store with the given retention on a movable clock, or null when unsupported. */
  Storage openWithRetention(Retention retention, Duration blockDuration, MovableClock clock)
      throws Exception;

  /** How long a span may take to become searchable after its write is acknowledged. */
  Duration searchVisibility();

  /** Writes {@code spans} in one call, then waits until each is found by a search. */
  default void write(Span... spans) {
    write(storage(), spans);
  }

  /** As {@link #write(Span...)}, into {@code store}. */
  default void write(Storage store, Span... spans) {
    store.spanConsumer().accept(List.of(spans)).join();
    awaitSearchable(store, List.of(spans));
  }

  /**
   * Waits until a search for each span's own service, name and start finds its trace, so that a
   * test may then assert on what a search leaves out.
   */
  default void awaitSearchable(Storage store, List<Span> spans) {
    for (Span s : spans) {
      TraceQuery q = TraceQuery.builder().serviceName(s.serviceName()).spanName(s.name())
          .timeRange(s.startTimeUnixNano(), s.startTimeUnixNano() + 1)
          .limit(TraceQuery.MAX_LIMIT).build();
      // Polled on this thread: a backend may resolve the caller (its tenant) per thread.
      Awaitility.await().pollInSameThread().pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(10))
          .atMost(searchVisibility()).untilAsserted(() -> assertThat(store.spanSearch()
              .search(q)).extracting(TraceSummary::traceId).contains(s.traceId()));
    }
  }

  /** Writes {@code records} in one call and waits for the acknowledgement. */
  default void write(LogRecord... records) {
    storage().logConsumer().accept(List.of(records)).join();
  }

  /** Writes {@code series} in one call and waits for the acknowledgement. */
  default void write(TimeSeries... series) {
    storage().metricWriter().write(List.of(series)).join();
  }

  /** The IDs of the traces {@code query} finds, in the order returned. */
  default List<String> search(TraceQuery query) {
    return storage().spanSearch().search(query).stream().map(TraceSummary::traceId).toList();
  }
}
