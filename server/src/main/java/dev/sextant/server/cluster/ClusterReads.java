package dev.sextant.server.cluster;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.VirtualHostBuilder;
import dev.sextant.cluster.RemoteStorage;
import dev.sextant.cluster.RemoteStorageBuilder;
import dev.sextant.cluster.StoreDirectory;
import dev.sextant.cluster.StoreReadService;
import dev.sextant.server.alerting.AlertStores;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.MetricWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where cluster mode's read side plugs into the server: the store role's internal read API
 * ({@link StoreReadService} under {@value StoreReadService#DEFAULT_PREFIX}, behind the cluster
 * token that the server's security decorator checks) and the storage the query and alert roles
 * read through when the node is not a store itself ({@link RemoteStorage} over the stores,
 * routed to the request's tenant).
 */
public final class ClusterReads {
  private ClusterReads() {}

  /**
   * Checks, at start, that the internal read API is protected: a store, or a query or alert node
   * reading remote stores, needs {@code cluster.internalToken} unless it listens on loopback
   * only with authentication off (a one-machine cluster).
   *
   * @throws IllegalArgumentException naming the setting when the token is missing
   */
  public static void checkToken(ClusterSettings settings, String bindAddress,
      boolean authEnabled) {
    boolean readsOrServes = settings.has(Role.STORE) || settings.has(Role.QUERY)
        || settings.has(Role.ALERT);
    if (!readsOrServes || settings.internalToken() != null) {
      return;
    }
    if (authEnabled || !isLoopback(bindAddress)) {
      throw new IllegalArgumentException("cluster.internalToken: missing (expected: a shared "
          + "secret of at least 16 characters, the same on every store, query and alert node, "
          + "e.g. SEXTANT_CLUSTER_TOKEN=$(openssl rand -hex 32)); required because this node ("
          + settings.roles() + ") " + (authEnabled ? "has authentication on"
              : "listens on " + bindAddress + ", not loopback")
          + " and the stores' internal read API gives every tenant's data");
    }
  }

  /**
   * Mounts the store's internal read API on its HTTP port, over every tenant's store, listing the
   * partitions {@code store} owns.
   */
  public static void mountStoreReadService(VirtualHostBuilder httpPort, TenantStorage tenants,
      StoreRole store) {
    requireNonNull(store, "store");
    httpPort.serviceUnder(StoreReadService.DEFAULT_PREFIX,
        StoreReadService.builder(tenants::forTenant)
            .partitions(() -> store.consumer().assignment()).build());
  }

  /**
   * An alert-only node's stores: {@code queryStorage} (from {@link #queryStorage}) for each
   * tenant's rule queries and evidence, recorded series produced through {@code kafka} as the
   * rule's tenant, alert state below {@code dataDir} in {@link TenantStorage}'s layout, and
   * evidence pinned on every store through their internal API ({@link RemoteStorage#pins()}).
   */
  public static AlertStores alertStores(Storage queryStorage, CollectorRole kafka,
      Path dataDir) {
    TenantRemoteStorage remote = (TenantRemoteStorage) requireNonNull(queryStorage,
        "queryStorage");
    requireNonNull(kafka, "kafka");
    requireNonNull(dataDir, "dataDir");
    return new AlertStores() {
      @Override
      public Storage forTenant(String tenant) {
        return remote.forTenant(TenantContext.checkName("tenant", tenant));
      }

      @Override
      public MetricWriter recordedSeries(String tenant) {
        return kafka.metricWriterFor(tenant);
      }

      @Override
      public boolean pinsEvidence() {
        return true;
      }

      @Override
      public boolean pinsOverNetwork() {
        return true;
      }

      @Override
      public Path dirOf(String tenant) {
        return TenantStorage.dirOf(dataDir, tenant);
      }
    };
  }

  /**
   * {@code base}, with recording rules' results produced to Kafka as the rule's tenant: in
   * cluster mode they reach the stores that own their series' partitions, as any collector's
   * samples do, whichever node evaluates (an evaluator that is also a store would otherwise keep
   * them in its own partitions' stores only).
   */
  public static AlertStores recordingThroughKafka(AlertStores base, CollectorRole kafka) {
    requireNonNull(base, "base");
    requireNonNull(kafka, "kafka");
    return new AlertStores() {
      @Override
      public Storage forTenant(String tenant) {
        return base.forTenant(tenant);
      }

      @Override
      public MetricWriter recordedSeries(String tenant) {
        return kafka.metricWriterFor(tenant);
      }

      @Override
      public boolean pinsEvidence() {
        return base.pinsEvidence();
      }

      @Override
      public boolean pinsOverNetwork() {
        return base.pinsOverNetwork();
      }

      @Override
      public Path dirOf(String tenant) {
        return base.dirOf(tenant);
      }
    };
  }

  /**
   * As {@link #queryStorage(ClusterSettings, StoreDirectory)} without discovery: the stores must
   * be listed in {@code cluster.stores}.
   *
   * @throws IllegalArgumentException when no store is listed or a URL is bad
   */
  public static Storage queryStorage(ClusterSettings settings) {
    return queryStorage(settings, null);
  }

  /**
   * The storage the query and alert roles read when this node is not a store: every store's
   * partitions through their internal read API, as the request's tenant, sending the cluster
   * token. The stores are {@code settings.stores()} when listed (static: they win), else those
   * {@code discovered} lists at each read.
   *
   * @throws IllegalArgumentException when no store is listed and there is no discovery, or a
   *     listed URL is bad
   */
  public static Storage queryStorage(ClusterSettings settings,
      @Nullable StoreDirectory discovered) {
    RemoteStorageBuilder b = RemoteStorage.builder();
    if (!settings.stores().isEmpty()) {
      List<URI> stores = new ArrayList<>();
      for (String s : settings.stores()) {
        stores.add(storeUri(s));
      }
      b.stores(stores);
    } else if (discovered != null) {
      b.stores(discovered::urls);
    } else {
      throw new IllegalArgumentException("cluster.stores: [] (expected: the stores' HTTP URLs, "
          + "e.g. [http://store-1:8686], for cluster.roles " + settings.roles()
          + " without the store role and without discovery)");
    }
    return new TenantRemoteStorage(b.partitions(settings.partitions())
        .bearerToken(settings.internalToken())
        .build());
  }

  private static URI storeUri(String s) {
    URI u;
    try {
      u = URI.create(s.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cluster.stores: '" + s + "' (expected: a URL such as "
          + "http://store-1:8686)", e);
    }
    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
        || u.getHost() == null) {
      throw new IllegalArgumentException("cluster.stores: '" + s + "' (expected: a URL such as "
          + "http://store-1:8686)");
    }
    return u;
  }

  private static boolean isLoopback(String bindAddress) {
    try {
      return InetAddress.getByName(bindAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
