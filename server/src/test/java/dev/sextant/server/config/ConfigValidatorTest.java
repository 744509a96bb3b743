package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {
  @TempDir
  Path dir;

  private SextantConfig load(String yaml, Map<String, String> env) throws Exception {
    return ConfigLoader.load(Files.writeString(dir.resolve("sextant.yml"), yaml), env);
  }

  @Test
  void validate_defaultsPass() {
    ConfigValidator.validate(ConfigLoader.load(null, Map.of()));
  }

  @Test
  void validate_portClashInFileNamesBothKeysAndLines() throws Exception {
    SextantConfig c = load("dataDir: d\nports:\n  grpc: 4317\n  otlpHttp: 8686\n  http: 8686\n",
        Map.of());
    assertThatThrownBy(() -> ConfigValidator.validate(c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(dir.resolve("sextant.yml") + ": line 5: ports.http: 8686, "
            + "the same port as ports.otlpHttp (" + dir.resolve("sextant.yml") + ": line 4)")
        .hasMessageContaining("expected: ports.grpc, ports.otlpHttp and ports.http distinct");
  }

  @Test
  void validate_portClashFromEnvNamesTheVariable() throws Exception {
    SextantConfig c = load("ports:\n  http: 9000\n", Map.of("SEXTANT_GRPC_PORT", "9000"));
    assertThatThrownBy(() -> ConfigValidator.validate(c))
        .hasMessageStartingWith("SEXTANT_GRPC_PORT: 9000, the same port as ports.http ("
            + dir.resolve("sextant.yml") + ": line 2)");
  }

  @Test
  void validate_zeroPortsMayRepeat() throws Exception {
    ConfigValidator.validate(load("ports: {grpc: 0, otlpHttp: 0, http: 0}\n", Map.of()));
  }

  @Test
  void validate_badLimitNamesKeyLineAndBounds() throws Exception {
    SextantConfig c = load("""
        dataDir: d
        limits:
          maxAttributes: 64
          maxAnyValueDepth: 1000
        """, Map.of());
    assertThatThrownBy(() -> ConfigValidator.validate(c))
        .hasMessage(dir.resolve("sextant.yml") + ": line 4: limits.maxAnyValueDepth: 1000 "
            + "(expected: 0 for the default, or 1-32)");
  }

  @Test
  void validate_negativeLimitIsRefused() throws Exception {
    SextantConfig c = load("limits:\n  maxRequestBytes: -1\n", Map.of());
    assertThatThrownBy(() -> ConfigValidator.validate(c))
        .hasMessageStartingWith(dir.resolve("sextant.yml") + ": line 2: limits.maxRequestBytes: "
            + "-1 (expected: 0 for the default, or 1024-1073741824)");
  }

  @Test
  void validate_requestLargerThanQueueIsRefused() throws Exception {
    SextantConfig c = load(
        "limits:\n  maxRequestBytes: 67108864\ningest:\n  queueBytes: 33554432\n", Map.of());
    assertThatThrownBy(() -> ConfigValidator.validate(c))
        .hasMessageContaining("line 2: limits.maxRequestBytes: 67108864 (expected: "
            + "limits.maxRequestBytes 67108864 <= ingest.queueBytes 33554432");
  }

  @Test
  void validate_otherBoundsNameTheirKey() throws Exception {
    assertThatThrownBy(() -> ConfigValidator.validate(load("tenancy:\n  maxTenants: 0\n",
        Map.of()))).hasMessageContaining("line 2: tenancy.maxTenants: 0 (expected: 1-10000)");
    assertThatThrownBy(() -> ConfigValidator.validate(load(
        "health:\n  maxHeapUsedRatio: 1.5\n", Map.of())))
        .hasMessageContaining("line 2: health.maxHeapUsedRatio: 1.5 (expected: > 0 and <= 1)");
  }

  @Test
  void load_wrongTypeNamesKeyAndLine() throws Exception {
    assertThatThrownBy(() -> load("dataDir: d\nlimits:\n  maxAttributes: lots\n", Map.of()))
        .hasMessageStartingWith(dir.resolve("sextant.yml") + ": line 3: limits.maxAttributes: ");
  }

  @Test
  void locate_laterErrorsAboutAKeyGetItsLine() throws Exception {
    SextantConfig c = load("retention:\n  traces: 7days\n", Map.of());
    IllegalArgumentException e = c.sources().locate(new IllegalArgumentException(
        "retention.traces: '7days' (expected: a duration like 15s, 1m30s or 500ms)"));
    assertThat(e).hasMessageStartingWith(dir.resolve("sextant.yml")
        + ": line 2: retention.traces: '7days'");
    // A message about a key nobody set comes back unchanged.
    IllegalArgumentException other = new IllegalArgumentException("storage.blockDuration: x");
    assertThat(c.sources().locate(other)).isSameAs(other);
  }
}
