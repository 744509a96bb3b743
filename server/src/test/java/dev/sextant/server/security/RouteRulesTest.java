package dev.sextant.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteRulesTest {
  private final RouteRules rules = new RouteRules(4317, 4318, true);

  private RouteRules.Rule rule(int port, String path, HttpMethod m) {
    return rules.classify(port, path, m);
  }

  @Test
  void classify_otlpPortsNeedIngestExceptLiveness() {
    assertThat(rule(4317, "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
        HttpMethod.POST).access()).isEqualTo(Access.INGEST);
    assertThat(rule(4318, "/v1/logs", HttpMethod.POST).access()).isEqualTo(Access.INGEST);
    assertThat(rule(4318, "/anything-new", HttpMethod.GET).access()).isEqualTo(Access.INGEST);
    assertThat(rule(4318, "/health", HttpMethod.GET).access()).isEqualTo(Access.LIVENESS);
    assertThat(rule(4318, "/login", HttpMethod.GET).access()).isEqualTo(Access.INGEST);
    // Zipkin's intake is ingest on the UI/API port too, where Zipkin clients send.
    assertThat(rule(8686, "/api/v2/spans", HttpMethod.POST).access()).isEqualTo(Access.INGEST);
    assertThat(rule(4318, "/api/v2/spans", HttpMethod.POST).access()).isEqualTo(Access.INGEST);
  }

  @Test
  void classify_httpPortNeedsReadByDefaultAndAdminForWrites() {
    assertThat(rule(8686, "/api/search", HttpMethod.GET)).isEqualTo(
        new RouteRules.Rule(Access.READ, false));
    assertThat(rule(8686, "/some/future/route", HttpMethod.DELETE).access())
        .isEqualTo(Access.READ);
    assertThat(rule(8686, "/-/reload", HttpMethod.POST))
        .isEqualTo(new RouteRules.Rule(Access.ADMIN, false));
    assertThat(rule(8686, "/api/v2/silences", HttpMethod.POST).access()).isEqualTo(Access.ADMIN);
    assertThat(rule(8686, "/api/v2/silence/:id", HttpMethod.DELETE).access())
        .isEqualTo(Access.ADMIN);
    assertThat(rule(8686, "/api/v2/silences", HttpMethod.GET))
        .isEqualTo(new RouteRules.Rule(Access.READ, false));
    assertThat(rule(8686, "/ui/alerts/silences", HttpMethod.POST).access())
        .isEqualTo(Access.ADMIN);
    // Prometheus servers post their alerts as they send data: the ingest role, any tenant.
    assertThat(rule(8686, "/api/v2/alerts", HttpMethod.POST))
        .isEqualTo(new RouteRules.Rule(Access.INGEST, false));
    assertThat(rule(8686, "/api/v2/alerts", HttpMethod.GET).access()).isEqualTo(Access.READ);
    assertThat(rule(8686, "/ui/alerts/silences/:id/expire", HttpMethod.POST).access())
        .isEqualTo(Access.ADMIN);
    // Pins keep data past retention: writing them is an admin action of the request's tenant.
    for (String p : List.of("/api/pins", "/api/pins/:id", "/api/pins/incidents/:incidentId/resolve",
        "/ui/pins", "/ui/pins/:id/unpin")) {
      assertThat(rule(8686, p, p.startsWith("/api/pins/") ? HttpMethod.DELETE : HttpMethod.POST))
          .as(p).isEqualTo(new RouteRules.Rule(Access.ADMIN, false));
    }
    assertThat(rule(8686, "/api/pins", HttpMethod.GET))
        .isEqualTo(new RouteRules.Rule(Access.READ, false));
    assertThat(rule(8686, "/ui/pins", HttpMethod.GET).access()).isEqualTo(Access.READ);
    // Alerting is per tenant now; only the server-wide /metrics stays the default tenant's.
    for (String p : List.of("/api/v1/rules", "/api/v1/alerts", "/api/alerts/audit",
        "/alerts", "/ui/alerts", "/api/alerts/backtest")) {
      assertThat(rule(8686, p, HttpMethod.GET)).as(p).isEqualTo(
          new RouteRules.Rule(Access.READ, false));
    }
    assertThat(rule(8686, "/metrics", HttpMethod.GET).defaultTenantOnly()).isTrue();
    assertThat(rule(8686, "/login", HttpMethod.POST).access()).isEqualTo(Access.OPEN);
    assertThat(new RouteRules(1, 2, false).classify(8686, "/login", HttpMethod.GET).access())
        .isEqualTo(Access.READ);
  }

  @Test
  void classify_prometheusProbesAreOpenAndStatusConfigIsTheOperatorsRead() {
    for (String p : List.of("/-/healthy", "/-/ready")) {
      assertThat(rule(8686, p, HttpMethod.GET).access()).as(p).isEqualTo(Access.OPEN);
      assertThat(rule(8686, p, HttpMethod.HEAD).access()).as(p).isEqualTo(Access.OPEN);
    }
    // Other /-/ routes stay admin actions.
    assertThat(rule(8686, "/-/quit", HttpMethod.POST).access()).isEqualTo(Access.ADMIN);
    assertThat(rule(8686, "/api/v1/status/config", HttpMethod.GET))
        .isEqualTo(new RouteRules.Rule(Access.READ, true));
  }

  @Test
  void classify_internalRoutesNeedTheClusterTokenOnEveryPort() {
    for (int port : List.of(4317, 4318, 8686)) {
      assertThat(rule(port, "/internal/v1/*", HttpMethod.POST).access()).as("%s", port)
          .isEqualTo(Access.INTERNAL);
      assertThat(rule(port, "/internal/v1/partitions", HttpMethod.GET).access())
          .isEqualTo(Access.INTERNAL);
    }
    for (Role r : Role.values()) {
      assertThat(r.grants(Access.INTERNAL)).as("%s", r).isFalse();
    }
  }
}
