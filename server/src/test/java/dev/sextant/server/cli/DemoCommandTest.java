package dev.sextant.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.server.SextantServer;
import dev.sextant.server.config.SextantConfig;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir
  Path dir;

  @Test
  void serverBuilder_bindsLoopbackAndEnablesTheAdminApi() throws Exception {
    SextantConfig c = new ServerOptions().resolve(Map.of("SEXTANT_GRPC_PORT", "0",
        "SEXTANT_OTLP_HTTP_PORT", "0", "SEXTANT_HTTP_PORT", "0"));
    try (SextantServer server = DemoCommand.serverBuilder(c).dataDir(dir).build()) {
      server.start();
      assertThat(c.bindAddress).isEqualTo("127.0.0.1");
      HttpURLConnection reload = (HttpURLConnection) URI.create("http://127.0.0.1:"
          + server.httpPort() + "/-/reload").toURL().openConnection();
      reload.setRequestMethod("POST");
      assertThat(reload.getResponseCode()).isEqualTo(200);
      // Not reachable on this machine's other addresses.
      InetAddress other = NetworkInterface.networkInterfaces()
          .flatMap(NetworkInterface::inetAddresses)
          .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst()
          .orElse(null);
      if (other != null) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(other, server.httpPort()), 2000);
          throw new AssertionError("demo reachable on " + other);
        } catch (IOException expected) {
          // connection refused: bound to loopback only
        }
      }
    }
  }

  @Test
  void serverBuilder_keepsAnAddressTheUserAskedFor() {
    SextantConfig c = new ServerOptions().resolve(Map.of("SEXTANT_BIND_ADDRESS", "0.0.0.0"));
    DemoCommand.serverBuilder(c);
    assertThat(c.bindAddress).isEqualTo("0.0.0.0");
  }
}
