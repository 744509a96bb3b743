package dev.sextant.server.cli;

import static dev.sextant.server.cli.ServerArgs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.config.SextantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerOptionsTest {
  @TempDir
  Path dir;

  @Test
  void resolve_portClashFromFlagsIsRefusedNamingTheFlags() {
    assertThatThrownBy(() -> parse("--otlp-http-port", "8686").resolve(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--otlp-http-port: 8686, the same port as ports.http (its "
            + "default)");
    assertThatThrownBy(() -> parse("--http-port", "9000", "--grpc-port", "9000")
        .resolve(Map.of()))
        .hasMessageStartingWith("--http-port: 9000, the same port as --grpc-port (expected:");
  }

  @Test
  void resolve_flagClashingWithFileNamesTheLine() throws Exception {
    Path f = Files.writeString(dir.resolve("s.yml"), "ports:\n  grpc: 7000\n");
    assertThatThrownBy(() -> parse("--config", f.toString(), "--http-port", "7000")
        .resolve(Map.of()))
        .hasMessageStartingWith("--http-port: 7000, the same port as ports.grpc (" + f
            + ": line 2)");
  }

  @Test
  void resolve_adminApiAndBindAddressFromFlagsAndEnv() {
    SextantConfig c = parse("--enable-admin-api", "--bind-address", "127.0.0.1")
        .resolve(Map.of());
    assertThat(c.auth.enableAdminApi).isTrue();
    assertThat(c.bindAddress).isEqualTo("127.0.0.1");
    assertThat(parse().resolve(Map.of()).auth.enableAdminApi).isFalse();
    SextantConfig env = parse().resolve(Map.of("SEXTANT_ENABLE_ADMIN_API", "true",
        "SEXTANT_BIND_ADDRESS", "::1"));
    assertThat(env.auth.enableAdminApi).isTrue();
    assertThat(env.bindAddress).isEqualTo("::1");
    assertThatThrownBy(() -> parse().resolve(Map.of("SEXTANT_ENABLE_ADMIN_API", "yes")))
        .hasMessage("SEXTANT_ENABLE_ADMIN_API: yes (expected: true or false)");
  }

  @Test
  void build_badBindAddressNamesFlagOrLine() throws Exception {
    SextantConfig c = parse("--bind-address", "not an address", "--data-dir",
        dir.toString()).resolve(Map.of());
    assertThatThrownBy(() -> ServerOptions.build(c))
        .hasMessageStartingWith("--bind-address: 'not an address' (expected: an IP address");
    Path f = Files.writeString(dir.resolve("b.yml"), "dataDir: " + dir + "\nbindAddress: a b\n");
    SextantConfig fromFile = parse("--config", f.toString()).resolve(Map.of());
    assertThatThrownBy(() -> ServerOptions.build(fromFile))
        .hasMessageStartingWith(f + ": line 2: bindAddress: 'a b'");
  }
}
