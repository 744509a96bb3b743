package dev.sextant.cluster;

import static dev.sextant.storage.conformance.Fixtures.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.conformance.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pin calls of the stores' internal API through {@link RemoteStorage#pins()}, over two real
 * stores (embedded RocksDB and Lucene, each behind its read API on a real Armeria server): a pin
 * reaches every store, each copies what it holds, and the list shows it once.
 */
class RemotePinsTest {
  private static final String TENANT = StoreReadService.DEFAULT_TENANT;
  private static final long WEEK_MILLIS = Duration.ofDays(7).toMillis();

  @TempDir
  Path dir;

  private ReadCluster cluster;
  private RemoteStorage remote;

  @BeforeEach
  void start() {
    cluster = new ReadCluster(dir, 2);
    remote = cluster.remote().timeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void stop() {
    remote.close();
    cluster.close();
  }

  /** A trace of two spans and a log line in its partition; its ID. */
  private String trace() {
    Span root = Fixtures.root("checkout", "POST /pay", 0, 5 * MS);
    Span db = Fixtures.span(root.traceId(), Fixtures.spanId(), root.spanId(), "checkout",
        "INSERT payment", MS, 2 * MS).build();
    cluster.writeSpans(TENANT, List.of(root, db)).join();
    cluster.writeLogs(TENANT, List.of(Fixtures.log("checkout", "card declined", MS)
        .traceId(root.traceId()).build())).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> !remote.logReader()
        .search(LogQuery.builder().traceId(root.traceId()).build()).records().isEmpty());
    return root.traceId();
  }

  private List<Pin> pinsOf(int store) {
    return cluster.storeOf(store, TENANT).pins().list();
  }

  @Test
  void pin_reachesEveryStoreCopiesOnTheOwnerAndListsOnce() {
    String trace = trace();

    Pin pin = remote.pins().pin(new PinRequest(trace, "", "INC-1", "evidence of Slow", "alert"),
        1_000);

    assertThat(pin.spans()).isEqualTo(2);
    assertThat(pin.logs()).isEqualTo(1);
    int owner = cluster.ownerOf(Partitioning.partition(Partitioning.traceKey(trace),
        ReadCluster.PARTITIONS));
    assertThat(pinsOf(owner)).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(pin.id());
      assertThat(p.spans()).isEqualTo(2);
    });
    assertThat(pinsOf(1 - owner)).singleElement().satisfies(p -> {
      assertThat(p.id()).isEqualTo(pin.id()); // a record, to be listed, resolved and unpinned
      assertThat(p.spans()).isZero();
    });
    assertThat(remote.pins().list()).containsExactly(pin);
    assertThat(remote.pins().list().get(0).pinnedBy()).isEqualTo("alert");
    // Per tenant, as on one node.
    assertThat(remote.forTenant("alpha").pins().list()).isEmpty();
    // Pinning again is the same pin.
    assertThat(remote.pins().pin(new PinRequest(trace, "", "INC-1", "evidence of Slow",
        "alert"), 2_000).id()).isEqualTo(pin.id());
    assertThat(remote.pins().list()).hasSize(1);
  }

  @Test
  void pin_correlationIdSumsTheLinesOfEveryStore() {
    List<LogRecord> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) { // without a trace ID, each line has its own partition
      lines.add(Fixtures.log("orders", "step " + i, i * MS).correlationId("order-7").build());
    }
    cluster.writeLogs(TENANT, lines).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> remote.logReader()
        .search(LogQuery.builder().correlationId("order-7").build()).records().size() == 40);

    Pin pin = remote.pins().pin(new PinRequest("", "order-7", "", "lost order", "ana"), 1_000);

    assertThat(pin.logs()).isEqualTo(40);
    assertThat(pinsOf(0).get(0).logs() + pinsOf(1).get(0).logs()).isEqualTo(40);
    assertThat(remote.pins().list()).singleElement()
        .satisfies(p -> assertThat(p.logs()).isEqualTo(40));
  }

  @Test
  void resolveAndUnpin_applyOnEveryStore() {
    String trace = trace();
    Pin pin = remote.pins().pin(new PinRequest(trace, "", "INC-2", "evidence", "alert"), 1_000);

    assertThat(remote.pins().resolve("INC-2", 5_000)).isEqualTo(1);

    for (int store = 0; store < 2; store++) {
      assertThat(pinsOf(store)).singleElement()
          .satisfies(p -> assertThat(p.expiresAtMillis()).isEqualTo(5_000 + WEEK_MILLIS));
    }
    assertThat(remote.pins().list()).singleElement().satisfies(p -> {
      assertThat(p.resolvedAtMillis()).isEqualTo(5_000);
      assertThat(p.spans()).isEqualTo(2);
    });
    assertThat(remote.pins().unpin(pin.id())).isTrue();
    assertThat(pinsOf(0)).isEmpty();
    assertThat(pinsOf(1)).isEmpty();
    assertThat(remote.pins().list()).isEmpty();
    assertThat(remote.pins().unpin(pin.id())).isFalse();
  }

  @Test
  void pin_storeDown_pinsOnTheOthersAndSaysWhichStoreMissedIt() {
    String trace = trace();
    cluster.stop(1);

    try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
      Pin pin = remote.pins().pin(new PinRequest(trace, "", "INC-3", "evidence", "alert"), 1);

      assertThat(partial.warnings()).singleElement().asString()
          .startsWith("partial result: store " + cluster.uri(1));
      assertThat(pinsOf(0)).extracting(Pin::id).containsExactly(pin.id());
    }
    cluster.stop(0);
    assertThatThrownBy(() -> remote.pins().list()).isInstanceOf(StorageException.class)
        .hasMessageStartingWith("no store answered");
  }
}
