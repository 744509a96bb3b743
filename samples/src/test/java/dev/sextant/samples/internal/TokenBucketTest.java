package dev.sextant.samples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void tryAcquire_passesTheBurstThenTellsWhenTheNextTokenComes() {
    TokenBucket b = new TokenBucket(2, 3, now::get);
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isEqualTo(500_000_000L);
    now.addAndGet(250_000_000L);
    assertThat(b.tryAcquire()).isEqualTo(250_000_000L);
    now.addAndGet(250_000_000L);
    assertThat(b.tryAcquire()).isZero();
  }

  @Test
  void tryAcquire_neverStoresMoreThanTheBurst() {
    TokenBucket b = new TokenBucket(10, 2, now::get);
    now.addAndGet(60_000_000_000L);
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isZero();
    assertThat(b.tryAcquire()).isPositive();
  }

  @Test
  void constructor_refusesNonsense() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, now::get))
        .hasMessage("ratePerSecond: 0.0 (expected: > 0)");
    assertThatThrownBy(() -> new TokenBucket(1, 0.5, now::get))
        .hasMessage("burst: 0.5 (expected: >= 1)");
  }
}
