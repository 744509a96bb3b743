package dev.sextant.storage.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock a test sets and moves by hand, in UTC, for what takes a {@link Clock} (retention, pin
 * expiry, sessions). Safe to read from other threads than the one that moves it; it never moves
 * by itself.
 */
public final class ManualClock extends Clock {
  private final AtomicLong millis;

  /** A clock standing at {@code epochMillis}. */
  public ManualClock(long epochMillis) {
    this.millis = new AtomicLong(epochMillis);
  }

  /** Sets the time to {@code epochMillis} (backwards too). */
  public void set(long epochMillis) {
    millis.set(epochMillis);
  }

  /** Moves the time on by {@code by}. */
  public void advance(Duration by) {
    millis.addAndGet(by.toMillis());
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** This clock: its time is what the test set, whatever the zone. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }
}
