package dev.sextant.server.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Retention;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantStorageTest {
  @TempDir
  Path dir;

  private static ServiceRequestContext request(String tenant) {
    ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.GET, "/"));
    if (tenant != null) {
      TenantContext.set(ctx, tenant);
    }
    return ctx;
  }

  private static TimeSeries sample(String name) {
    return TimeSeries.of(Labels.of(Labels.NAME, name), System.currentTimeMillis(), 1);
  }

  private static List<String> names(TenantStorage s) {
    return s.metricReader().select(List.of(LabelMatcher.re(Labels.NAME, ".+")), 0,
        Long.MAX_VALUE).stream().map(x -> x.labels().get(Labels.NAME)).toList();
  }

  @Test
  void calls_goToTheCurrentRequestsTenant_andOutsideRequestsToTheDefault() throws Exception {
    try (TenantStorage s = TenantStorage.open(dir, Retention.defaults(), 4)) {
      try (SafeCloseable ignored = request("alpha").push()) {
        s.metricWriter().write(List.of(sample("alpha_m"))).get();
      }
      s.metricWriter().write(List.of(sample("default_m"))).get();
      try (SafeCloseable ignored = request("alpha").push()) {
        assertThat(names(s)).containsExactly("alpha_m");
      }
      try (SafeCloseable ignored = request("bravo").push()) {
        assertThat(names(s)).isEmpty();
      }
      assertThat(names(s)).containsExactly("default_m");
      assertThat(Files.isDirectory(dir.resolve("tenants").resolve("alpha"))).isTrue();
      // A request that was never bound to a tenant fails rather than read the default's data.
      try (SafeCloseable ignored = request(null).push()) {
        assertThatThrownBy(() -> names(s)).hasMessageContaining("has no tenant");
      }
    }
  }

  @Test
  void pins_belongToTheCurrentRequestsTenant() {
    String trace = "0123456789abcdef0123456789abcdef";
    try (TenantStorage s = TenantStorage.open(dir, Retention.defaults(), 4)) {
      try (SafeCloseable ignored = request("alpha").push()) {
        s.pins().pin(new PinRequest(trace, "", "INC-1", "alpha's", "a"), 1);
        assertThat(s.pins().list()).extracting(Pin::reason).containsExactly("alpha's");
      }
      try (SafeCloseable ignored = request("bravo").push()) {
        assertThat(s.pins().list()).isEmpty();
        assertThat(s.pins().resolve("INC-1", 2)).isZero();
      }
      assertThat(s.pins().list()).isEmpty();
      assertThat(Files.isDirectory(dir.resolve("tenants").resolve("alpha").resolve("pins")))
          .isTrue();
    }
  }

  @Test
  void forTenant_refusesTenantsBeyondTheLimit() {
    try (TenantStorage s = TenantStorage.open(dir, Retention.defaults(), 2)) {
      s.forTenant("alpha");
      assertThat(s.isOpen("alpha")).isTrue();
      assertThatThrownBy(() -> s.forTenant("bravo")).isInstanceOf(TenantLimitException.class)
          .hasMessageContaining("maxTenants=2");
      assertThatThrownBy(() -> s.forTenant("..")).hasMessageContaining("tenant: ..");
    }
  }
}
