package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.StaleMarker;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The stored chunk format stays readable: a chunk written by the encoder of the first release
 * (frozen below as bytes) decodes to the same samples, and the word-at-a-time decoder agrees bit
 * for bit with the original bit-at-a-time one ({@link ReferenceGorillaDecoder}) on every chunk
 * the encoder writes.
 */
class GorillaFormatTest {
  /** {@link #goldenTimes()}/{@link #goldenValues()} as written by the 2026-11 encoder. */
  private static final String GOLDEN = ""
      + "30a0beabce8120b01afc00753079838f8bdfeab40000000000d1bfd921fb54442d1b2e0910edbfd9"
      + "251463835c26d1a94a20d6f0191c1fe00f666666666667efce30139eb2c37614267f800000000337"
      + "dc343ffffffffff3212b714cfbfec7831ece8d4a5107280163fb2d97c7f3321d0c047f87d1ba6813"
      + "a5b09f46a52881ca0047b00c20000000000051809366a52881e6004a60000000000000401c06463d"
      + "8d1a94a2079c03df9c63fbf6a7a2955385df00000000066fb868c0595732aa1adecbfffffffffff3"
      + "212b71b0a174fbde60f3807bfec783800c0394ccccccccccd602bc9f23b548cacd14cc78f5d74fbd"
      + "e610200a8c7f4bfb77d3774eef2e02d8e72f4bbfaf756c28d1a94a2040800e032360208666666666"
      + "66f7e7180b305961bb223337e000000000cdf70d0ffffffffffcc84adc60000000000000200f7fd8"
      + "f063d7d1a94a204420263fac463abeccb2b9602ce76a65b8e93bb6c292309ce54221008f6022b999"
      + "9999999a7c000003ffffffffe3016ba1d7eb38871a7ffffffc0000000014a6780c8c7ac46139ca84"
      + "7c05df9c63f91475cc9eedf02f800000000337dc34602f494b3b06ce100ffffffffffcc84adc6c29"
      + "5d3ef79823e00f7fd8f06c049d9999999999a0";

  static long[] goldenTimes() {
    long[] t = new long[48];
    long x = 1_767_225_600_000L;
    for (int i = 0; i < t.length; i++) {
      // Aligned scrapes, millisecond jitter, a gap of hours, a backwards-looking big delta.
      x += switch (i % 12) {
        case 3 -> 15_003;
        case 4 -> 14_995;
        case 7 -> 15_000 + 200;
        case 9 -> 3_600_000L * 30;
        case 10 -> 15_000 + 20_000;
        default -> 15_000;
      };
      t[i] = i == 40 ? x + (1L << 40) : x;
      if (i == 40) {
        x += 1L << 40;
      }
    }
    return t;
  }

  static double[] goldenValues() {
    double[] v = new double[48];
    double c = 100;
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (i % 8) {
        case 0 -> c += 7; // integer counter steps
        case 1 -> c;      // repeat
        case 2 -> c += 0.25; // short decimal
        case 3 -> StaleMarker.VALUE;
        case 4 -> Math.PI * i; // needs the XOR path
        case 5 -> c += 1e12; // big integer jump (32/64-bit dod)
        case 6 -> -0.0;
        default -> i * 1.1;
      };
    }
    return v;
  }

  @Test
  void decode_chunkWrittenByFirstEncoderReadsBack() {
    byte[] stored = HexFormat.of().parseHex(GOLDEN);
    long[] ts = goldenTimes();
    double[] vs = goldenValues();
    Chunk c = Chunk.decode(ts[0], stored);
    assertThat(c.count()).isEqualTo(ts.length);
    assertThat(c.maxTime()).isEqualTo(ts[ts.length - 1]);
    assertSamples(c.iterator(), ts, vs);
    assertSamples(new ReferenceGorillaDecoder(c), ts, vs);
  }

  @Test
  void decode_agreesWithReferenceDecoderOnRandomChunks() {
    Random r = new Random(11);
    for (int run = 0; run < 500; run++) {
      GorillaAppender a = new GorillaAppender();
      int n = 1 + r.nextInt(240);
      long t = r.nextLong() >> 22;
      double v = r.nextInt(1000);
      for (int i = 0; i < n; i++) {
        t += 1 + switch (r.nextInt(6)) {
          case 0 -> r.nextInt(1 << r.nextInt(31));
          case 1 -> (long) r.nextInt(1 << 20) << r.nextInt(30);
          default -> 15_000 + r.nextInt(7) - 3;
        };
        v = switch (r.nextInt(8)) {
          case 0 -> v;
          case 1 -> v + r.nextInt(100);
          case 2 -> Math.round(v * 1000 + r.nextInt(99) - 49) / 1000.0;
          case 3 -> Double.longBitsToDouble(r.nextLong());
          case 4 -> r.nextDouble() * 1e6;
          case 5 -> StaleMarker.VALUE;
          case 6 -> v + (r.nextInt(2000) - 1000) * 4096.0 * 1e6;
          default -> -v;
        };
        a.append(t, Double.doubleToRawLongBits(v));
      }
      byte[] enc = a.encode();
      Chunk stored = Chunk.decode(a.minTime(), enc);
      for (Chunk c : new Chunk[] {stored, a.snapshot()}) {
        SampleIterator ref = new ReferenceGorillaDecoder(c);
        SampleIterator it = c.iterator();
        int i = 0;
        while (ref.next()) {
          assertThat(it.next()).as("run %d sample %d", run, i).isTrue();
          assertThat(it.timestamp()).as("run %d t[%d]", run, i).isEqualTo(ref.timestamp());
          assertThat(Double.doubleToRawLongBits(it.value())).as("run %d v[%d]", run, i)
              .isEqualTo(Double.doubleToRawLongBits(ref.value()));
          i++;
        }
        assertThat(it.next()).isFalse();
        assertThat(i).isEqualTo(n);
      }
    }
  }

  @Test
  void seek_landsOnFirstSampleAtOrAfter() {
    GorillaAppender a = new GorillaAppender();
    for (int i = 0; i < 120; i++) {
      a.append(1000 + i * 15_000L, Double.doubleToRawLongBits(i * 2.0));
    }
    GorillaIterator it = (GorillaIterator) a.snapshot().iterator();
    assertThat(it.seek(1000 + 15_000L * 50 - 1)).isTrue();
    assertThat(it.timestamp()).isEqualTo(1000 + 15_000L * 50);
    assertThat(it.value()).isEqualTo(100.0);
    assertThat(it.seek(1000 + 15_000L * 50)).isTrue(); // already there: stays
    assertThat(it.timestamp()).isEqualTo(1000 + 15_000L * 50);
    assertThat(it.seek(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void decode_truncatedStreamIsReportedCorrupt() {
    GorillaAppender a = new GorillaAppender();
    Random r = new Random(5);
    for (int i = 0; i < 50; i++) {
      a.append(i * 15_000L, r.nextLong());
    }
    byte[] enc = a.encode();
    byte[] cut = Arrays.copyOf(enc, enc.length / 2);
    SampleIterator it = Chunk.decode(0, cut).iterator();
    assertThatThrownBy(() -> {
      while (it.next()) {
        // drain
      }
    }).isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt chunk");
  }

  private static void assertSamples(SampleIterator it, long[] ts, double[] vs) {
    for (int i = 0; i < ts.length; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).as("t[%d]", i).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.value())).as("v[%d]", i)
          .isEqualTo(Double.doubleToRawLongBits(vs[i]));
    }
    assertThat(it.next()).isFalse();
  }
}
