package dev.sextant.server.tenancy;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.Retention;
import dev.sextant.storage.Storage;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.embedded.EmbeddedStorageBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Storage} that sends every call to the current tenant's own embedded store (see
 * {@link TenantContext#current()}), so components built on one {@code Storage} are isolated per
 * tenant without knowing about tenants. The default tenant keeps the data directory itself (the
 * layout of a single-tenant server); tenant {@code t} lives in {@code <dataDir>/tenants/t}.
 * Stores open on first use, at most {@code maxTenants} of them (the default tenant included);
 * a further tenant is refused with {@link TenantLimitException}.
 */
public final class TenantStorage extends TenantRoutedStorage {
  private static final Logger log = LoggerFactory.getLogger(TenantStorage.class);

  private final Path dataDir;
  private final Retention retention;
  private final int maxTenants;
  private Duration blockDuration;
  private TenantLimits limits = TenantLimits.unlimited();
  private UnaryOperator<EmbeddedStorageBuilder> configure = UnaryOperator.identity();
  private final Map<String, Storage> tenants = new ConcurrentHashMap<>();
  private boolean closed;

  private TenantStorage(Path dataDir, Retention retention, int maxTenants) {
    this.dataDir = dataDir;
    this.retention = retention;
    this.maxTenants = maxTenants;
  }

  /**
   * Opens the default tenant's store now (so a broken data directory fails at start) and the
   * others lazily.
   */
  public static TenantStorage open(Path dataDir, Retention retention, int maxTenants) {
    return open(dataDir, retention, null, maxTenants, TenantLimits.unlimited());
  }

  /**
   * As {@link #open(Path, Retention, int)}, with every tenant's store partitioned into blocks of
   * {@code blockDuration} (null: the storage default, 2 h) and each tenant's metric store limited
   * by {@code limits}.
   */
  public static TenantStorage open(Path dataDir, Retention retention, Duration blockDuration,
      int maxTenants, TenantLimits limits) {
    return open(dataDir, retention, blockDuration, maxTenants, limits, UnaryOperator.identity());
  }

  /**
   * As {@link #open(Path, Retention, Duration, int, TenantLimits)}, with {@code configure} applied
   * last to every tenant's store builder: for settings the server's config does not have, such as
   * a test's clock and retention check interval.
   */
  public static TenantStorage open(Path dataDir, Retention retention, Duration blockDuration,
      int maxTenants, TenantLimits limits, UnaryOperator<EmbeddedStorageBuilder> configure) {
    requireNonNull(limits, "limits");
    requireNonNull(configure, "configure");
    requireNonNull(dataDir, "dataDir");
    requireNonNull(retention, "retention");
    if (maxTenants < 1) {
      throw new IllegalArgumentException("maxTenants: " + maxTenants + " (expected: > 0)");
    }
    TenantStorage s = new TenantStorage(dataDir, retention, maxTenants);
    s.blockDuration = blockDuration;
    s.limits = limits;
    s.configure = configure;
    s.tenant(TenantContext.DEFAULT);
    return s;
  }

  /** The default tenant's store: for the server's own work (rules, alerts, health). */
  public Storage defaultTenant() {
    return tenant(TenantContext.DEFAULT);
  }

  /** The store of {@code name}, opened if needed; throws {@link TenantLimitException} if full. */
  public Storage forTenant(String name) {
    return tenant(name);
  }

  /** Whether {@code name} is open already (then {@link #forTenant} does no I/O). */
  public boolean isOpen(String name) {
    return tenants.containsKey(name);
  }

  /**
   * The directory of {@code name}'s data (the data directory itself for the default tenant),
   * whether or not it is open or exists yet. Other per-tenant state (alerting) lives below it.
   */
  public Path dirOf(String name) {
    return dirOf(dataDir, name);
  }

  /** As {@link #dirOf(String)}, for a store over {@code dataDir}, open or not. */
  public static Path dirOf(Path dataDir, String name) {
    TenantContext.checkName("tenant", name);
    return name.equals(TenantContext.DEFAULT) ? dataDir : dataDir.resolve("tenants").resolve(name);
  }

  /** The maximum number of open tenants. */
  public int maxTenants() {
    return maxTenants;
  }

  private Storage tenant(String name) {
    Storage t = tenants.get(name);
    return t != null ? t : openTenant(name);
  }

  private synchronized Storage openTenant(String name) {
    Storage t = tenants.get(name);
    if (t != null) {
      return t;
    }
    if (closed) {
      throw new StorageException("storage closed"); // Storage's contract, as an open store's
    }
    TenantContext.checkName("tenant", name);
    if (tenants.size() >= maxTenants) {
      throw new TenantLimitException(name, maxTenants);
    }
    Path dir = dirOf(name);
    var builder = EmbeddedStorage.builder().dataDir(dir).retention(retention)
        .seriesLimits(limits.forTenant(name));
    if (blockDuration != null) {
      builder.blockDuration(blockDuration);
    }
    t = configure.apply(builder).build();
    tenants.put(name, t);
    if (!name.equals(TenantContext.DEFAULT)) {
      log.info("opened tenant '{}' at {}", name, dir);
    }
    return t;
  }

  @Override
  protected Storage current() {
    return tenant(TenantContext.current());
  }

  /**
   * A store that cannot be had because this one is closed fails the returned future, as every
   * writer's contract says, instead of throwing.
   */
  @Override
  protected <T> CompletableFuture<T> write(Supplier<CompletableFuture<T>> write) {
    try {
      return write.get();
    } catch (StorageException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Checks every open tenant's store. */
  @Override
  public void check() {
    tenants.values().forEach(Storage::check);
  }

  /** Closes every store. Idempotent. */
  @Override
  public void close() {
    List<Storage> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(tenants.values());
    }
    RuntimeException failure = null;
    for (Storage t : open) {
      try {
        t.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
