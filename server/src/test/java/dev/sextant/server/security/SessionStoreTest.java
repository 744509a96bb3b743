package dev.sextant.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private static final Principal P = new Principal("r", Role.READ, "default");

  @Test
  void get_returnsPrincipalUntilExpiryOrRemoval() {
    ManualClock clock = new ManualClock(1_000_000);
    SessionStore s = new SessionStore(Duration.ofMinutes(10), 100, clock);
    String id = s.create(P);
    assertThat(id).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
    assertThat(s.get(id)).isEqualTo(P);
    assertThat(s.get(id + "x")).isNull();
    clock.advance(Duration.ofMinutes(10));
    assertThat(s.get(id)).isNull();
    String other = s.create(P);
    s.remove(other);
    assertThat(s.get(other)).isNull();
  }

  @Test
  void create_dropsTheOldestSessionWhenFull() {
    SessionStore s = new SessionStore(Duration.ofHours(1), 2, new ManualClock(1_000_000));
    String first = s.create(P);
    String second = s.create(P);
    String third = s.create(P);
    assertThat(s.get(first)).isNull();
    assertThat(s.get(second)).isEqualTo(P);
    assertThat(s.get(third)).isEqualTo(P);
    assertThat(first).isNotEqualTo(second).isNotEqualTo(third);
  }

  @Test
  void safeNext_keepsLocalPathsOnly() {
    assertThat(LoginService.safeNext("/ui/search?service=a")).isEqualTo("/ui/search?service=a");
    assertThat(LoginService.safeNext("//evil.example")).isEqualTo("/ui");
    assertThat(LoginService.safeNext("https://evil.example")).isEqualTo("/ui");
    assertThat(LoginService.safeNext("/\\evil.example")).isEqualTo("/ui");
    assertThat(LoginService.safeNext("/login")).isEqualTo("/ui");
    assertThat(LoginService.safeNext(null)).isEqualTo("/ui");
  }
}
