package dev.sextant.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.server.config.ConfigLoader;
import dev.sextant.server.config.SextantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthSettingsTest {
  @TempDir
  Path dir;

  private SextantConfig load(String yaml, Map<String, String> env) throws Exception {
    return ConfigLoader.load(Files.writeString(dir.resolve("c.yml"), yaml), env);
  }

  @Test
  void load_readsTokensFromFileEnvAndHashes() throws Exception {
    SextantConfig c = load("""
        auth:
          enabled: true
          sessionTtl: 1h
          tokens:
            - { name: ops, token: "admin-secret-0123456789", role: admin }
            - { name: shop, tokenEnv: SHOP_TOKEN, role: ingest, tenant: shop }
            - { name: ro, sha256: "%s", role: read, tenant: shop }
        tenancy: { maxTenants: 3 }
        tls: { certFile: /c.pem, keyFile: /k.pem }
        """.formatted(HexFormat.of().formatHex(
            AccessPolicy.sha256("reader-secret-0123456789"))),
        Map.of("SHOP_TOKEN", "shop-secret-0123456789"));
    AccessPolicy p = c.auth.toPolicy();
    assertThat(p.enabled()).isTrue();
    assertThat(p.sessionTtl()).hasHours(1);
    assertThat(p.authenticate("admin-secret-0123456789"))
        .isEqualTo(new Principal("ops", Role.ADMIN, "default"));
    assertThat(p.authenticate("shop-secret-0123456789"))
        .isEqualTo(new Principal("shop", Role.INGEST, "shop"));
    assertThat(p.authenticate("reader-secret-0123456789"))
        .isEqualTo(new Principal("ro", Role.READ, "shop"));
    assertThat(c.tenancy.maxTenants).isEqualTo(3);
    assertThat(c.tls.enabled()).isTrue();
  }

  @Test
  void load_isDisabledByDefaultAndEnvTurnsItOn() throws Exception {
    assertThat(ConfigLoader.load(null, Map.of()).auth.toPolicy().enabled()).isFalse();
    assertThat(ConfigLoader.load(null, Map.of()).tls.enabled()).isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SEXTANT_AUTH_ENABLED", "true"))
        .auth.toPolicy()).hasMessageContaining("auth.tokens: empty");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("SEXTANT_AUTH_ENABLED", "yes")))
        .hasMessage("SEXTANT_AUTH_ENABLED: yes (expected: true or false)");
  }

  @Test
  void load_namesTheFieldOfEveryMistake() {
    assertThatThrownBy(() -> load("auth: {enabled: true, tokens: [{tokenEnv: NOPE, "
        + "role: read}]}", Map.of()))
        .hasMessage("auth.tokens[0].tokenEnv: NOPE is not set (expected: an environment "
            + "variable holding the token)");
    assertThatThrownBy(() -> load("auth: {enabled: true, tokens: [{token: "
        + "\"x-0123456789abcdef\", role: root}]}", Map.of()).auth.toPolicy())
        .hasMessage("auth.tokens[0].role: root (expected: ingest, read or admin)");
    assertThatThrownBy(() -> load("auth: {enabled: true, tokens: [{role: read}]}", Map.of())
        .auth.toPolicy()).hasMessageContaining("auth.tokens[0]: no secret");
    assertThatThrownBy(() -> load("auth: {enabled: true, tokens: [{token: "
        + "\"x-0123456789abcdef\", role: read, tenant: \"a/b\"}]}", Map.of()).auth.toPolicy())
        .hasMessageContaining("auth.tokens[0].tenant: a/b");
    assertThatThrownBy(() -> load("tls: {certFile: /c.pem}", Map.of()).tls.enabled())
        .hasMessage("tls: certFile without keyFile (expected: both or neither)");
    assertThatThrownBy(() -> load("auth: {enabeld: true}", Map.of()))
        .hasMessageContaining("unknown key 'enabeld'");
  }
}
