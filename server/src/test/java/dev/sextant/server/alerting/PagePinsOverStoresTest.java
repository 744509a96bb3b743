package dev.sextant.server.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.cluster.RemoteStorage;
import dev.sextant.cluster.StoreReadService;
import dev.sextant.storage.Pin;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.conformance.Fixtures;
import dev.sextant.storage.embedded.EmbeddedStorage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An alert-only node's evidence pins over two real stores (embedded storage behind the internal
 * API on real Armeria servers), one of which is down for a while (it answers 503): the page's pin
 * and its resolve reach the other at once and the down one when it is back, in order.
 */
class PagePinsOverStoresTest {
  @TempDir
  Path dir;

  private final List<Storage> stores = new ArrayList<>();
  private final List<Server> servers = new ArrayList<>();
  private final AtomicBoolean secondDown = new AtomicBoolean();
  private RemoteStorage remote;
  private ScheduledExecutorService worker;
  private PagePins pins;

  @BeforeEach
  void start() {
    List<URI> uris = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Storage s = EmbeddedStorage.open(dir.resolve("store-" + i));
      stores.add(s);
      boolean second = i == 1;
      Server server = Server.builder()
          .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
          .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
          .serviceUnder(StoreReadService.DEFAULT_PREFIX, StoreReadService.of(t -> s)
              .decorate((delegate, ctx, req) -> second && secondDown.get()
                  ? HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE)
                  : delegate.serve(ctx, req)))
          .build();
      server.start().join();
      servers.add(server);
      uris.add(URI.create("http://127.0.0.1:" + server.activeLocalPort()));
    }
    remote = RemoteStorage.builder(uris).timeout(Duration.ofSeconds(2)).build();
    worker = Executors.newSingleThreadScheduledExecutor();
    pins = PagePins.overStores(remote, Clock.systemUTC(), worker, Duration.ofMillis(100),
        Duration.ofHours(1));
  }

  @AfterEach
  void stop() {
    pins.close();
    worker.shutdownNow();
    remote.close();
    servers.forEach(s -> s.stop().join());
    stores.forEach(Storage::close);
  }

  private List<Pin> pinsOf(int store) {
    return stores.get(store).pins().list();
  }

  @Test
  void firingAndResolved_storeDown_reachItWhenItIsBack() {
    Span root = Fixtures.root("checkout", "POST /pay", 0, 1_000_000);
    stores.get(0).spanConsumer().accept(List.of(root)).join();
    secondDown.set(true);

    pins.firing("INC-1", "evidence of Slow", new Evidence(List.of(new Evidence.Link(
        "http://sextant:8686/ui/traces/" + root.traceId(), "checkout POST /pay")), List.of()));

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pinsOf(0))
        .singleElement().satisfies(p -> {
          assertThat(p.traceId()).isEqualTo(root.traceId());
          assertThat(p.incidentId()).isEqualTo("INC-1");
          assertThat(p.spans()).isEqualTo(1);
        }));
    assertThat(pinsOf(1)).isEmpty();
    Instant resolvedAt = Instant.ofEpochMilli(System.currentTimeMillis() / 1000 * 1000);
    pins.resolved("INC-1", resolvedAt);
    // The resolve waits for the pin to reach every store (a pin made later would reopen it).
    assertThat(pinsOf(0).get(0).resolvedAtMillis()).isZero();
    assertThat(pinsOf(1)).isEmpty();

    secondDown.set(false);

    // Retried in order: pinned, then resolved at the incident's own time.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pinsOf(1))
        .singleElement().satisfies(p -> {
          assertThat(p.incidentId()).isEqualTo("INC-1");
          assertThat(p.resolvedAtMillis()).isEqualTo(resolvedAt.toEpochMilli());
        }));
    assertThat(pinsOf(0)).singleElement().satisfies(p ->
        assertThat(p.resolvedAtMillis()).isEqualTo(resolvedAt.toEpochMilli()));
  }

  @Test
  void firingAgain_dropsAPendingResolve() {
    Span root = Fixtures.root("checkout", "POST /pay", 0, 1_000_000);
    stores.get(0).spanConsumer().accept(List.of(root)).join();
    Evidence evidence = new Evidence(List.of(new Evidence.Link(
        "http://sextant:8686/ui/traces/" + root.traceId(), "t")), List.of());
    pins.firing("INC-2", "evidence of Slow", evidence);
    await().atMost(Duration.ofSeconds(30)).until(() -> pinsOf(1).size() == 1);
    secondDown.set(true);
    pins.resolved("INC-2", Instant.now());
    await().atMost(Duration.ofSeconds(30)).until(() -> pinsOf(0).get(0).resolvedAtMillis() != 0);

    pins.firing("INC-2", "evidence of Slow", evidence); // it fires again: open once more
    await().atMost(Duration.ofSeconds(30)).until(() -> pinsOf(0).get(0).resolvedAtMillis() == 0);
    secondDown.set(false);

    // The second store gets the pin again, and never the stale resolve.
    await().atMost(Duration.ofSeconds(30)).until(() -> pinsOf(1).get(0).createdAtMillis()
        == pinsOf(0).get(0).createdAtMillis());
    assertThat(pinsOf(1).get(0).resolvedAtMillis()).isZero();
  }
}
