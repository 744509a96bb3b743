package dev.sextant.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionStoreTest {
  private static final Principal P = new Principal("r", Role.READ, "default");

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  @Test
  void get_returnsPrincipalUntilExpiryOrRemoval() {
    ManualClock clock = new ManualClock();
    SessionStore s = new SessionStore(Duration.ofMinutes(10), 100, clock);
    String id = s.create(P);
    assertThat(id).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
    assertThat(s.get(id)).isEqualTo(P);
    assertThat(s.get(id + "x")).isNull();
    clock.millis += Duration.ofMinutes(10).toMillis();
    assertThat(s.get(id)).isNull();
    String other = s.create(P);
    s.remove(other);
    assertThat(s.get(other)).isNull();
  }

  @Test
  void create_dropsTheOldestSessionWhenFull() {
    SessionStore s = new SessionStore(Duration.ofHours(1), 2, new ManualClock());
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
