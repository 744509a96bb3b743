package dev.sextant.samples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong();
  private final RateLimiter limiter = new RateLimiter("free=1/2,premium=100/100",
      "f1=free,f2=free,p=premium", now::get);

  @Test
  void check_limitsEachKeyByItsTier() {
    assertThat(limiter.check("f1").allowed()).isTrue();
    assertThat(limiter.check("f1").allowed()).isTrue();
    RateLimiter.Decision refused = limiter.check("f1");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.tier().name()).isEqualTo("free");
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    // another free key has its own bucket; premium is far from its limit
    assertThat(limiter.check("f2").allowed()).isTrue();
    for (int i = 0; i < 50; i++) {
      assertThat(limiter.check("p").allowed()).isTrue();
    }
  }

  @Test
  void check_unknownOrMissingKeyHasNoTier() {
    assertThat(limiter.check("nope").tier()).isNull();
    assertThat(limiter.check(null).allowed()).isFalse();
  }

  @Test
  void constructor_namesTheBadSetting() {
    assertThatThrownBy(() -> new RateLimiter("free=1", "k=free", now::get))
        .hasMessage("tiers: free=1 (expected: NAME=RATE/BURST)");
    assertThatThrownBy(() -> new RateLimiter("free=1/1", "k=gold", now::get))
        .hasMessage("keys: k=gold (expected a tier: [free])");
  }
}
