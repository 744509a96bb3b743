package dev.sextant.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
  private static final String READ = "read-token-0123456789";
  private static final String INGEST = "ingest-token-0123456789";

  private static AccessPolicy policy() {
    return AccessPolicy.builder().token("r", READ, Role.READ, "alpha")
        .tokenSha256("i", HexFormat.of().formatHex(AccessPolicy.sha256(INGEST)), Role.INGEST,
            "bravo")
        .build();
  }

  @Test
  void authenticate_findsPlainAndHashedTokens() {
    AccessPolicy p = policy();
    assertThat(p.authenticate(READ)).isEqualTo(new Principal("r", Role.READ, "alpha"));
    assertThat(p.authenticate(INGEST)).isEqualTo(new Principal("i", Role.INGEST, "bravo"));
  }

  @Test
  void authenticate_refusesWrongEmptyAndPrefixTokens() {
    AccessPolicy p = policy();
    assertThat(p.authenticate("nope-0123456789abcdef")).isNull();
    assertThat(p.authenticate("")).isNull();
    assertThat(p.authenticate(null)).isNull();
    assertThat(p.authenticate(READ.substring(0, READ.length() - 1))).isNull();
    assertThat(p.authenticate(READ + " ")).isNull();
  }

  @Test
  void builder_rejectsShortDuplicateAndMalformedEntries() {
    assertThatThrownBy(() -> AccessPolicy.builder().token("a", "short", Role.READ, "default"))
        .hasMessage("a.token: 5 characters (expected: >= 16)");
    assertThatThrownBy(() -> AccessPolicy.builder().token("a", READ, Role.READ, "default")
        .token("b", READ, Role.ADMIN, "default"))
        .hasMessage("b: the same token as a (expected: every token distinct)");
    assertThatThrownBy(() -> AccessPolicy.builder().tokenSha256("h", "abc", Role.READ, "x"))
        .hasMessageContaining("h.sha256: abc (expected: 64 hex digits");
    assertThatThrownBy(() -> AccessPolicy.builder().token("t", READ, Role.READ, "../etc"))
        .hasMessageContaining("t.tenant: ../etc (expected: 1-64 of [A-Za-z0-9._-]");
    assertThatThrownBy(() -> AccessPolicy.builder().build())
        .hasMessageContaining("auth.tokens: empty");
  }

  @Test
  void roles_grantOnlyTheirAccess() {
    assertThat(Role.INGEST.grants(Access.INGEST)).isTrue();
    assertThat(Role.INGEST.grants(Access.READ)).isFalse();
    assertThat(Role.READ.grants(Access.READ)).isTrue();
    assertThat(Role.READ.grants(Access.INGEST)).isFalse();
    assertThat(Role.READ.grants(Access.ADMIN)).isFalse();
    assertThat(Role.ADMIN.grants(Access.ADMIN)).isTrue();
    assertThat(Role.ADMIN.grants(Access.INGEST)).isTrue();
    assertThat(Role.parse("f", " Admin ")).isEqualTo(Role.ADMIN);
    assertThatThrownBy(() -> Role.parse("auth.tokens[0].role", "root"))
        .hasMessage("auth.tokens[0].role: root (expected: ingest, read or admin)");
  }
}
