package dev.sextant.server;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.sextant.server.security.AccessPolicy;
import dev.sextant.server.security.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A server with authentication on and tokens for two tenants, and a client to call it. */
final class SecuredServers {
  static final String ADMIN = "admin-token-0123456789abcdef";
  static final String A_INGEST = "alpha-ingest-0123456789abcdef";
  static final String A_READ = "alpha-read-0123456789abcdef";
  static final String B_INGEST = "bravo-ingest-0123456789abcdef";
  static final String B_READ = "bravo-read-0123456789abcdef";
  static final String DEFAULT_READ = "default-read-0123456789abcdef";
  static final String WRONG = "wrong-token-0123456789abcdef";

  private SecuredServers() {}

  static AccessPolicy policy() {
    return AccessPolicy.builder()
        .token("admin", ADMIN, Role.ADMIN, "default")
        .token("alpha-ingest", A_INGEST, Role.INGEST, "alpha")
        .token("alpha-read", A_READ, Role.READ, "alpha")
        // Hash-only entry: the config file need not hold the secret.
        .tokenSha256("bravo-ingest", sha256Hex(B_INGEST), Role.INGEST, "bravo")
        .token("bravo-read", B_READ, Role.READ, "bravo")
        .token("default-read", DEFAULT_READ, Role.READ, "default")
        .build();
  }

  static SextantServerBuilder builder(Path dataDir) {
    return SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).accessPolicy(policy());
  }

  static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Calls {@code path} with optional extra headers as name/value pairs. */
  static AggregatedHttpResponse call(String scheme, int port, HttpMethod method, String path,
      String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(method, path);
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return WebClient.builder(scheme + "://127.0.0.1:" + port).factory(ClientFactory.insecure())
        .build().execute(HttpRequest.of(h.build())).aggregate()
        .join();
  }

  /** POSTs an OTLP protobuf body with optional extra headers. */
  static AggregatedHttpResponse post(int port, String path, byte[] body, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(MediaType.parse("application/x-protobuf"));
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return WebClient.of("http://127.0.0.1:" + port).execute(h.build(), body).aggregate().join();
  }

  static AggregatedHttpResponse get(int port, String path, String token) {
    return call("http", port, HttpMethod.GET, path, "authorization", "Bearer " + token);
  }
}
