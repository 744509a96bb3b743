package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.RoutePathType;
import com.linecorp.armeria.server.ServiceConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every route the running server registered, on every port, and calls each with every
 * method it accepts, first without credentials and then with a wrong token: all must be refused
 * with 401 (gRPC: UNAUTHENTICATED). A route added later is covered without editing this test;
 * only the login pages, Prometheus's probes ({@code /-/healthy}, {@code /-/ready}: a status line
 * each, see ProbesAndStatusTest) and the bare liveness answer of {@code /health} are open.
 */
class AuthEveryRouteTest {
  private static final Set<String> OPEN =
      Set.of("/login", "/logout", "/-/healthy", "/-/ready");
  private static final Set<HttpMethod> METHODS = EnumSet.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);

  @TempDir
  Path dataDir;

  @Test
  void everyRegisteredRoute_refusesMissingAndWrongTokens() {
    try (SextantServer server = SecuredServers.builder(dataDir).build()) {
      server.start();
      var armeria = ((DefaultSextantServer) server).armeria();
      Set<String> covered = new LinkedHashSet<>();
      int calls = 0;
      for (ServiceConfig sc : armeria.config().serviceConfigs()) {
        int port = sc.virtualHost().port();
        Route route = sc.route();
        String path = concretePath(route);
        if (OPEN.contains(path)) {
          continue;
        }
        boolean grpc = port == server.grpcPort();
        for (HttpMethod m : route.methods()) {
          if (!METHODS.contains(m)) {
            continue;
          }
          for (String[] creds : new String[][] {{}, {"authorization", "Bearer "
              + SecuredServers.WRONG}, {"x-api-key", SecuredServers.WRONG}}) {
            String[] headers = grpc ? concat(creds, "content-type", "application/grpc")
                : creds;
            AggregatedHttpResponse r = SecuredServers.call(grpc ? "h2c" : "http", port, m, path,
                headers);
            calls++;
            String what = m + " :" + port + path + " " + (creds.length == 0 ? "no token"
                : creds[0]);
            if (path.equals("/health") && creds.length == 0) {
              // Liveness stays open, but says nothing about disks, heap or storage.
              assertThat(r.contentUtf8()).as(what).doesNotContain("checks")
                  .doesNotContain("bytes");
            } else if (grpc) {
              assertThat(r.headers().get("grpc-status")).as(what).isEqualTo("16");
            } else {
              assertThat(r.status().code()).as(what + ": " + r.contentUtf8()).isEqualTo(401);
              assertThat(r.headers().get("www-authenticate")).as(what).startsWith("Bearer");
              // Refusals are hardened like every other answer.
              SecurityHeadersEveryRouteTest.assertHardened(r, path, what);
            }
          }
        }
        covered.add(":" + port + " " + route.patternString());
      }
      System.out.println("AuthEveryRouteTest: " + covered.size() + " routes, " + calls
          + " calls refused (or liveness-only): " + covered);
      // The three ports and the main families of routes are all there.
      assertThat(covered).anyMatch(r -> r.contains("TraceService/Export"))
          .anyMatch(r -> r.contains("/v1/traces")).anyMatch(r -> r.contains("/api/v1/query"))
          .anyMatch(r -> r.contains("/jaeger/api")).anyMatch(r -> r.contains("/ui/search"))
          .anyMatch(r -> r.contains("/-/reload")).anyMatch(r -> r.contains("/metrics"));
      assertThat(covered.size()).isGreaterThan(30);
    }
  }

  static String concretePath(Route route) {
    RoutePathType type = route.pathType();
    String p = route.patternString();
    switch (type) {
      case EXACT:
        return p;
      case PARAMETERIZED:
        return p.replaceAll("\\{[^/}]+\\}|:[^/]+", "0af7651916cd43dd8448eb211c80319c");
      case PREFIX:
        return p.endsWith("*") ? p.substring(0, p.length() - 1) + "x" : p + "/x";
      default:
        throw new AssertionError("route type " + type + " (" + p + "): teach this test to "
            + "build a path for it");
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
