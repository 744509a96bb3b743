package dev.sextant.server.tenancy;

import static java.util.Objects.requireNonNull;

import dev.sextant.collector.red.RedMetrics;
import dev.sextant.storage.EmbeddedStorage;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Storage} that sends every call to the current tenant's own embedded store (see
 * {@link TenantContext#current()}), so components built on one {@code Storage} are isolated per
 * tenant without knowing about tenants. The default tenant keeps the data directory itself (the
 * layout of a single-tenant server); tenant {@code t} lives in {@code <dataDir>/tenants/t}.
 * Stores open on first use, at most {@code maxTenants} of them (the default tenant included);
 * a further tenant is refused with {@link TenantLimitException}. Span-derived RED metrics are
 * kept and written per tenant too, so one tenant's services never show up in another's series.
 */
public final class TenantStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(TenantStorage.class);

  private final Path dataDir;
  private final Retention retention;
  private final int maxTenants;
  private final long redIntervalMillis;
  private Duration blockDuration;
  private TenantLimits limits = TenantLimits.unlimited();
  private final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
  private boolean closed;

  private record Tenant(Storage storage, RedMetrics red, AutoCloseable redFlush) {}

  private TenantStorage(Path dataDir, Retention retention, int maxTenants, Duration redInterval) {
    this.dataDir = dataDir;
    this.retention = retention;
    this.maxTenants = maxTenants;
    this.redIntervalMillis = redInterval.toMillis();
  }

  /**
   * Opens the default tenant's store now (so a broken data directory fails at start) and the
   * others lazily. {@code redInterval} zero turns span-derived RED metrics off.
   */
  public static TenantStorage open(Path dataDir, Retention retention, int maxTenants,
      Duration redInterval) {
    requireNonNull(dataDir, "dataDir");
    requireNonNull(retention, "retention");
    requireNonNull(redInterval, "redInterval");
    if (maxTenants < 1) {
      throw new IllegalArgumentException("maxTenants: " + maxTenants + " (expected: > 0)");
    }
    return open(dataDir, retention, null, maxTenants, redInterval);
  }

  /**
   * As {@link #open(Path, Retention, int, Duration)}, with every tenant's store partitioned into
   * blocks of {@code blockDuration} (null: the storage default, 2 h).
   */
  public static TenantStorage open(Path dataDir, Retention retention, Duration blockDuration,
      int maxTenants, Duration redInterval) {
    return open(dataDir, retention, blockDuration, maxTenants, redInterval,
        TenantLimits.unlimited());
  }

  /**
   * As {@link #open(Path, Retention, Duration, int, Duration)}, with each tenant's metric store
   * limited by {@code limits}.
   */
  public static TenantStorage open(Path dataDir, Retention retention, Duration blockDuration,
      int maxTenants, Duration redInterval, TenantLimits limits) {
    requireNonNull(limits, "limits");
    requireNonNull(dataDir, "dataDir");
    requireNonNull(retention, "retention");
    requireNonNull(redInterval, "redInterval");
    if (maxTenants < 1) {
      throw new IllegalArgumentException("maxTenants: " + maxTenants + " (expected: > 0)");
    }
    TenantStorage s = new TenantStorage(dataDir, retention, maxTenants, redInterval);
    s.blockDuration = blockDuration;
    s.limits = limits;
    s.tenant(TenantContext.DEFAULT);
    return s;
  }

  /** The default tenant's store: for the server's own work (rules, alerts, health). */
  public Storage defaultTenant() {
    return tenant(TenantContext.DEFAULT).storage;
  }

  /** The store of {@code name}, opened if needed; throws {@link TenantLimitException} if full. */
  public Storage forTenant(String name) {
    return tenant(name).storage;
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
    TenantContext.checkName("tenant", name);
    return name.equals(TenantContext.DEFAULT) ? dataDir : dataDir.resolve("tenants").resolve(name);
  }

  /** The maximum number of open tenants. */
  public int maxTenants() {
    return maxTenants;
  }

  private Tenant tenant(String name) {
    Tenant t = tenants.get(name);
    return t != null ? t : openTenant(name);
  }

  private synchronized Tenant openTenant(String name) {
    Tenant t = tenants.get(name);
    if (t != null) {
      return t;
    }
    if (closed) {
      throw new IllegalStateException("storage closed");
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
    Storage s = builder.build();
    RedMetrics red = new RedMetrics();
    AutoCloseable flush = redIntervalMillis > 0
        ? red.scheduleFlush(s.metricWriter(), redIntervalMillis) : null;
    t = new Tenant(s, red, flush);
    tenants.put(name, t);
    if (!name.equals(TenantContext.DEFAULT)) {
      log.info("opened tenant '{}' at {}", name, dir);
    }
    return t;
  }

  private Tenant current() {
    return tenant(TenantContext.current());
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spans -> {
      Tenant t = current();
      return t.storage.spanConsumer().accept(spans).thenRun(() -> {
        if (redIntervalMillis > 0) {
          t.red.record(spans);
        }
      });
    };
  }

  @Override
  public TraceReader traceReader() {
    return new TraceReader() {
      @Override
      public List<Span> getTrace(String traceId) {
        return current().storage.traceReader().getTrace(traceId);
      }

      @Override
      public List<Span> getTrace(String traceId, int limit) {
        return current().storage.traceReader().getTrace(traceId, limit); // the store stops there
      }
    };
  }

  @Override
  public SpanSearch spanSearch() {
    return new SpanSearch() {
      @Override
      public List<TraceSummary> search(TraceQuery q) {
        return current().storage.spanSearch().search(q);
      }

      @Override
      public List<String> services() {
        return current().storage.spanSearch().services();
      }

      @Override
      public List<String> spanNames(String serviceName) {
        return current().storage.spanSearch().spanNames(serviceName);
      }
    };
  }

  @Override
  public LogConsumer logConsumer() {
    return records -> current().storage.logConsumer().accept(records);
  }

  @Override
  public LogReader logReader() {
    return query -> current().storage.logReader().search(query);
  }

  @Override
  public MetricWriter metricWriter() {
    return new MetricWriter() {
      @Override
      public CompletableFuture<Void> write(
          List<TimeSeries> series) {
        return current().storage.metricWriter().write(series);
      }

      @Override
      public CompletableFuture<AppendResult>
          append(List<TimeSeries> series) {
        return current().storage.metricWriter().append(series);
      }
    };
  }

  @Override
  public MetricReader metricReader() {
    return new TenantMetricReader(() -> current().storage.metricReader());
  }

  /** Checks every open tenant's store. */
  @Override
  public void check() {
    tenants.values().forEach(t -> t.storage.check());
  }

  /** Writes the last RED metrics of each tenant, then closes every store. Idempotent. */
  @Override
  public void close() {
    List<Tenant> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      open = new ArrayList<>(tenants.values());
    }
    RuntimeException failure = null;
    for (Tenant t : open) {
      try {
        if (t.redFlush != null) {
          t.redFlush.close();
          t.red.flush(t.storage.metricWriter()).get(10, TimeUnit.SECONDS);
        }
      } catch (Exception e) {
        log.warn("final span metrics flush failed: {}", e.toString());
      }
      try {
        t.storage.close();
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
