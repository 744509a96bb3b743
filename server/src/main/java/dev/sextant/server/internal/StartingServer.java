package dev.sextant.server.internal;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the ports answer while storage opens (a WAL replay or index rebuild after a crash can take
 * minutes): {@code /-/healthy} 200 and {@code /-/ready} 503, as Prometheus does while its TSDB
 * loads, so an orchestrator neither restarts the server nor sends it traffic; every other
 * request, OTLP included, 503 with {@code Retry-After}, which exporters retry. Holding the ports
 * also keeps them (picked free for port 0) from another process until the real server binds.
 */
public final class StartingServer {
  private static final String RETRY_SECONDS = "5";

  private StartingServer() {}

  /** Binds {@code ports} on {@code bindAddress} (TLS when {@code certFile} is set), started. */
  public static Server start(String bindAddress, int[] ports, @Nullable File certFile,
      @Nullable File keyFile, @Nullable String keyPassword) {
    SessionProtocol protocol = certFile != null ? SessionProtocol.HTTPS : SessionProtocol.HTTP;
    ServerBuilder sb = Server.builder().gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
    for (int port : ports) {
      sb.port(new InetSocketAddress(bindAddress, port), protocol);
    }
    if (certFile != null && keyPassword != null) {
      sb.tls(certFile, keyFile, keyPassword);
    } else if (certFile != null) {
      sb.tls(certFile, keyFile);
    }
    Server server = sb.service("/-/healthy", Probes.healthy())
        .service("/-/ready", Probes.starting())
        .serviceUnder("/", (ctx, req) -> HttpResponse.of(
            ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.PLAIN_TEXT_UTF_8)
                .set(HttpHeaderNames.RETRY_AFTER, RETRY_SECONDS)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store").build(),
            HttpData.ofUtf8(
                "Sextant is starting: storage is opening; retry later\n")))
        .build();
    server.start().join();
    return server;
  }
}
