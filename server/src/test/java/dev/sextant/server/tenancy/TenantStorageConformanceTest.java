package dev.sextant.server.tenancy;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Storage;
import dev.sextant.storage.conformance.MovableClock;
import dev.sextant.storage.conformance.StorageConformance;
import dev.sextant.storage.conformance.Tenants;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract, met by the store the server really serves a request from: a
 * {@link TenantStorage} opened as the server opens it, called inside a request bound to a named
 * tenant (so every call goes to that tenant's own store under {@code tenants/}). The tenant tests
 * switch the request's tenant. Retention is not run here: a tenant store's clock cannot be moved
 * (the embedded store's run covers it).
 */
class TenantStorageConformanceTest extends StorageConformance {
  private static final String TENANT = "acme";

  @TempDir
  Path dir;

  private SafeCloseable request;

  // The caller closes what this returns: leaveRequest(), or the handle tenants() gives out.
  @SuppressWarnings("MustBeClosedChecker")
  private static SafeCloseable actAs(String tenant) {
    ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.GET, "/"));
    TenantContext.set(ctx, tenant);
    return ctx.push();
  }

  @Override
  protected Storage openEmpty() {
    // As DefaultSextantServer opens it (span-derived RED metrics now live in the collector).
    return TenantStorage.open(dir, Retention.defaults(), null, 8, TenantLimits.unlimited());
  }

  @Override
  public Storage openWithRetention(Retention retention, Duration blockDuration,
      MovableClock clock) {
    return TenantStorage.open(dir.resolve("retention"), retention, blockDuration, 8,
        TenantLimits.unlimited(),
        b -> b.retentionCheckInterval(Duration.ofMillis(100)).clock(clock));
  }

  @BeforeEach
  void enterRequest() {
    request = actAs(TENANT);
  }

  @AfterEach
  void leaveRequest() {
    request.close();
  }

  @Override
  public Tenants tenants() {
    // Armeria nests no request in another: leave the test's request, act as the other tenant,
    // then come back.
    return tenant -> {
      request.close();
      SafeCloseable other = actAs(tenant);
      return () -> {
        other.close();
        request = actAs(TENANT);
      };
    };
  }
}
