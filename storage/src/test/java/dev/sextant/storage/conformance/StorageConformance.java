package dev.sextant.storage.conformance;

import dev.sextant.storage.Retention;
import dev.sextant.storage.Storage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The storage contract every backend must meet, in the spirit of Zipkin's {@code ITStorage}
 * family: one abstract class that a backend's test extends, saying how to open a fresh, empty
 * {@link Storage}. The tests come from the contract interfaces it implements, one per public
 * reader or writer ({@link TraceReaderContract}, {@link SpanConsumerContract},
 * {@link SpanSearchContract}, {@link TraceSummaryContract}, {@link SpanNamesContract},
 * {@link LogSearchContract}, {@link LogPagingContract}, {@link MetricContract},
 * {@link LifecycleContract}) and per concern
 * that crosses them ({@link TenantContract}, {@link RetentionContract}). They use only the public
 * API of {@code sextant-storage}, never its {@code internal} packages, so the same tests hold any
 * implementation to the same Javadoc.
 *
 * <p>To run the kit against a backend, depend on {@code sextant-storage}'s test-jar (with
 * AssertJ, Awaitility and JUnit 5 on the test classpath) and extend this class:
 *
 * <pre>{@code
 * class MyStorageConformanceTest extends StorageConformance {
 *   @TempDir Path dir;
 *
 *   @Override
 *   protected Storage openEmpty() {
 *     return MyStorage.open(dir);
 *   }
 * }
 * }</pre>
 *
 * <p>Optional hooks switch on the tests of optional abilities; a backend that lacks one sees
 * those tests skipped (JUnit assumptions), not failed:
 * <ul>
 *   <li>{@link #tenants()}: a backend that serves several tenants behind one {@link Storage}
 *       says how to act as one of them; {@link TenantContract} then checks isolation.</li>
 *   <li>{@link #openWithRetention}: a backend whose clock a test can move opens a store with
 *       given retention; {@link RetentionContract} then checks what is dropped and what is
 *       kept.</li>
 * </ul>
 *
 * <p>Reads after an acknowledged write: trace reads, log searches and metric selects must see the
 * write once its future completes; trace search may lag a little ({@link
 * dev.sextant.storage.SpanSearch}), so the kit waits (up to {@link #searchVisibility()}) for a
 * written trace to be searchable before asserting on what a search leaves out.
 *
 * <p>The cluster's remote store (a client that sends each call to the store nodes owning the
 * data) runs the kit the same way: {@code openEmpty} starts store nodes on temporary directories
 * and returns the client; {@link #tenants()} binds the tenant the client sends; its longer index
 * lag goes in {@link #searchVisibility()}.
 */
public abstract class StorageConformance implements TraceReaderContract, SpanConsumerContract,
    SpanSearchContract, TraceSummaryContract, SpanNamesContract, LogSearchContract,
    LogPagingContract, MetricContract, LifecycleContract, TenantContract, RetentionContract {

  private Storage storage;

  /** A new, empty store; closed after each test. */
  protected abstract Storage openEmpty() throws Exception;

  /**
   * How to act as a tenant of {@link #storage()}, or null (the default) when the backend has no
   * tenants: then {@link TenantContract} is skipped.
   */
  @Override
  public Tenants tenants() {
    return null;
  }

  /**
   * A new, empty store that keeps each signal {@code retention}, stores it in blocks of
   * {@code blockDuration}, reads the time from {@code clock}, and looks for expired data at least
   * every second; or null (the default) when the backend cannot be opened so: then
   * {@link RetentionContract} is skipped. The caller closes it.
   */
  @Override
  public Storage openWithRetention(Retention retention, Duration blockDuration,
      MovableClock clock) throws Exception {
    return null;
  }

  /** How long a span may take to become searchable after its write is acknowledged. */
  @Override
  public Duration searchVisibility() {
    return Duration.ofSeconds(10);
  }

  @Override
  public final Storage storage() {
    return storage;
  }

  @BeforeEach
  final void openStore() throws Exception {
    storage = openEmpty();
  }

  @AfterEach
  final void closeStore() {
    storage.close();
  }
}
