package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.StaleMarker;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GorillaTest {

  @Test
  void roundTrip_specialValuesBitExact() {
    double[] values = {0.0, -0.0, 1.0, StaleMarker.VALUE, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.longBitsToDouble(0x7ff8dead00000001L), Double.MIN_VALUE,
        -Double.MAX_VALUE, 42.5, 42.5, StaleMarker.VALUE, 0.0};
    long[] times = new long[values.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = 1_700_000_000_000L + i * 15_000L;
    }
    assertRoundTrip(times, values);
  }

  @Test
  void roundTrip_decimalsIntegersAndScaleChanges() {
    double[] values = {0.0, 1.0, 2.0, 1.5, 1.25, 0.1, 0.1 + 0.2, 0.3, -0.0, -7.0, -7.125,
        123456.789, 1e15, 9007199254740993.0, 1e300, 4.9e-324, 12.000001, 12.0000001, 3.0,
        1_000_000_000_000.5, -1.0, 1.0, 1.0, 0.0, 5e-7, 0.33};
    long[] times = new long[values.length];
    for (int i = 0; i < times.length; i++) {
      times[i] = i * 15_000L;
    }
    assertRoundTrip(times, values);
  }

  @Test
  void roundTrip_largeIntegerSteps() {
    long[] times = new long[200];
    double[] values = new double[200];
    Random r = new Random(3);
    double v = 1L << 40;
    for (int i = 0; i < times.length; i++) {
      times[i] = i * 15_000L;
      v += (r.nextInt(2000) - 1000) * 4096.0 * (i % 7 == 0 ? 1e6 : 1);
      values[i] = v;
    }
    assertRoundTrip(times, values);
  }

  @Test
  void roundTrip_irregularTimestamps() {
    long[] times = {-5_000, -1, 0, 1, 2, 100, 101, 5_000, 5_001, 600_000, 600_007,
        10_000_000_000L, 10_000_000_001L, Long.MAX_VALUE / 2, Long.MAX_VALUE - 1};
    double[] values = new double[times.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 1.5;
    }
    assertRoundTrip(times, values);
  }

  @Test
  void roundTrip_randomWalks() {
    Random r = new Random(7);
    for (int run = 0; run < 200; run++) {
      int n = 1 + r.nextInt(300);
      long[] times = new long[n];
      double[] values = new double[n];
      long t = r.nextLong() >> 20;
      double v = r.nextGaussian() * 1000;
      for (int i = 0; i < n; i++) {
        t += 1 + (r.nextInt(4) == 0 ? r.nextInt(1 << r.nextInt(31)) : 15_000 + r.nextInt(5) - 2);
        v = switch (r.nextInt(7)) {
          case 5 -> Math.round(v * 100 + r.nextInt(9) - 4) / 100.0;
          case 6 -> v + (r.nextInt(2000) - 1000) * 4096.0;
          case 0 -> v;
          case 1 -> v + r.nextInt(100);
          case 2 -> r.nextDouble();
          case 3 -> Double.longBitsToDouble(r.nextLong());
          default -> Math.round(v * 3);
        };
        times[i] = t;
        values[i] = v;
      }
      assertRoundTrip(times, values);
    }
  }

  @Test
  void encode_regularCounterIsCompact() {
    GorillaAppender a = new GorillaAppender();
    for (int i = 0; i < 120; i++) {
      a.append(1_700_000_000_000L + i * 15_000L, Double.doubleToRawLongBits(1000 + i * 10));
    }
    // 1 bit per timestamp, a few bits per value: far below 2 bytes per sample.
    assertThat(a.encode().length).isLessThan(240);
  }

  @Test
  void reset_reusesBufferForNextChunk() {
    GorillaAppender a = new GorillaAppender();
    a.append(10, Double.doubleToRawLongBits(1));
    a.append(20, Double.doubleToRawLongBits(2));
    a.reset();
    a.append(30, Double.doubleToRawLongBits(3));
    SampleIterator it = Chunk.decode(30, a.encode()).iterator();
    assertThat(it.next()).isTrue();
    assertThat(it.timestamp()).isEqualTo(30);
    assertThat(it.value()).isEqualTo(3.0);
    assertThat(it.next()).isFalse();
  }

  private static void assertRoundTrip(long[] times, double[] values) {
    GorillaAppender a = new GorillaAppender();
    for (int i = 0; i < times.length; i++) {
      a.append(times[i], Double.doubleToRawLongBits(values[i]));
    }
    assertThat(a.count()).isEqualTo(times.length);
    Chunk stored = Chunk.decode(times[0], a.encode());
    assertThat(stored.maxTime()).isEqualTo(times[times.length - 1]);
    for (Chunk c : new Chunk[] {stored, a.snapshot()}) {
      SampleIterator it = c.iterator();
      for (int i = 0; i < times.length; i++) {
        assertThat(it.next()).isTrue();
        assertThat(it.timestamp()).as("t[%d]", i).isEqualTo(times[i]);
        assertThat(Double.doubleToRawLongBits(it.value())).as("v[%d]", i)
            .isEqualTo(Double.doubleToRawLongBits(values[i]));
      }
      assertThat(it.next()).isFalse();
    }
    assertSeeksAgree(stored, a.snapshot(), times);
  }

  /**
   * A seek in a chunk with marks (in memory) lands where one decoding from the first sample (a
   * stored chunk) does, at every sample and just off it (before, between and after marks).
   */
  private static void assertSeeksAgree(Chunk stored, Chunk marked, long[] times) {
    assertThat(marked.marks() == 0).isEqualTo(times.length < GorillaAppender.MARK_EVERY);
    for (int i = 0; i < times.length; i++) {
      for (long minT : new long[] {times[i] - 1, times[i], times[i] + 1}) {
        GorillaIterator plain = new GorillaIterator(stored);
        GorillaIterator jump = new GorillaIterator(marked);
        boolean found = plain.seek(minT);
        assertThat(jump.seek(minT)).as("seek(%d)", minT).isEqualTo(found);
        while (found) {
          assertThat(jump.timestamp()).isEqualTo(plain.timestamp());
          assertThat(Double.doubleToRawLongBits(jump.value()))
              .isEqualTo(Double.doubleToRawLongBits(plain.value()));
          found = plain.next();
          assertThat(jump.next()).isEqualTo(found);
        }
      }
    }
  }

  @Test
  void seek_afterReadingPastAMarkDoesNotGoBack() {
    GorillaAppender a = new GorillaAppender();
    for (int i = 0; i < 100; i++) {
      a.append(i * 10L, Double.doubleToRawLongBits(i * 0.5));
    }
    GorillaIterator it = new GorillaIterator(a.snapshot());
    assertThat(it.seek(700)).isTrue();
    assertThat(it.timestamp()).isEqualTo(700);
    // A mark (sample 64) lies before 690 but behind the iterator: seek stays where it is.
    assertThat(it.seek(690)).isTrue();
    assertThat(it.timestamp()).isEqualTo(700);
    assertThat(it.decoded()).isEqualTo(71);
  }
}
