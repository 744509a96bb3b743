package dev.sextant.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** Our decoder against the reference Snappy (snappy-java, the C++ library's encoder). */
class SnappyBlockTest {
  @Test
  void decode_matchesReferenceEncoderOnManyShapes() throws Exception {
    Random random = new Random(42);
    for (int i = 0; i < 300; i++) {
      int size = i < 100 ? i : random.nextInt(200_000);
      byte[] data = new byte[size];
      int alphabet = 1 + random.nextInt(i % 3 == 0 ? 256 : 4); // random and repetitive
      for (int j = 0; j < size; j++) {
        data[j] = (byte) random.nextInt(alphabet);
      }
      byte[] compressed = Snappy.compress(data);
      assertThat(SnappyBlock.decode(compressed, 1 << 20)).as("size %d", size).isEqualTo(data);
    }
    byte[] text = "remote_write_samples_total{job=\"x\"} 1\n".repeat(10_000)
        .getBytes(StandardCharsets.UTF_8);
    assertThat(SnappyBlock.decode(Snappy.compress(text), 1 << 20)).isEqualTo(text);
  }

  @Test
  void decode_declaredLengthOverLimit_tooLargeBeforeAllocating() throws Exception {
    byte[] compressed = Snappy.compress(new byte[1000]);
    assertThatThrownBy(() -> SnappyBlock.decode(compressed, 999))
        .isInstanceOf(SnappyBlock.TooLargeException.class)
        .hasMessage("snappy: declared decoded length 1000 bytes (expected: <= 999,"
            + " maxRequestBytes)");
    // 4 GiB - 1 declared by five bytes: refused on the preamble alone.
    byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0};
    assertThatThrownBy(() -> SnappyBlock.decode(huge, Integer.MAX_VALUE))
        .isInstanceOf(SnappyBlock.TooLargeException.class);
  }

  @Test
  void decode_declaredLengthTheInputCannotHold_corrupt() {
    byte[] lie = {(byte) 0x80, (byte) 0x80, 0x40, 0x00, 0x01}; // 1 MiB from 2 bytes
    assertThatThrownBy(() -> SnappyBlock.decode(lie, 16 << 20))
        .isInstanceOf(SnappyBlock.CorruptException.class)
        .hasMessageContaining("is more than 2 bytes of block can hold");
  }

  @Test
  void decode_corruptInput_namesTheProblem() throws Exception {
    byte[] good = Snappy.compress("abcdabcdabcdabcdabcdabcd".getBytes(StandardCharsets.UTF_8));
    assertThat(SnappyBlock.decode(good, 100)).hasSize(24);
    // Cut short: the declared length is not reached, or an element is truncated.
    for (int cut = 1; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> SnappyBlock.decode(truncated, 100))
          .isInstanceOf(SnappyBlock.CorruptException.class);
    }
    // A copy before the start of the output.
    byte[] badOffset = {4, 0x01 << 2 | 1, 9};
    assertThatThrownBy(() -> SnappyBlock.decode(badOffset, 100))
        .isInstanceOf(SnappyBlock.CorruptException.class)
        .hasMessage("snappy: copy offset 9 at output byte 0 (expected: 1-0)");
    // A literal running past the declared length.
    byte[] overrun = {2, 4 << 2, 'a', 'b', 'c', 'd', 'e'};
    assertThatThrownBy(() -> SnappyBlock.decode(overrun, 100))
        .isInstanceOf(SnappyBlock.CorruptException.class)
        .hasMessageContaining("overruns the declared length");
    // Not a varint at all.
    byte[] noPreamble = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
    assertThatThrownBy(() -> SnappyBlock.decode(noPreamble, 100))
        .isInstanceOf(SnappyBlock.CorruptException.class)
        .hasMessage("snappy: invalid length preamble");
    assertThatThrownBy(() -> SnappyBlock.decode(new byte[0], 100))
        .isInstanceOf(SnappyBlock.CorruptException.class);
  }

  @Test
  void decode_randomGarbage_neverThrowsAnythingElse() {
    Random random = new Random(7);
    int decoded = 0;
    int refused = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] junk = new byte[random.nextInt(64)];
      random.nextBytes(junk);
      if (junk.length > 0) {
        junk[0] = (byte) random.nextInt(100); // a plausible declared length
      }
      try {
        SnappyBlock.decode(junk, 1 << 16);
        decoded++;
      } catch (SnappyBlock.CorruptException | SnappyBlock.TooLargeException expected) {
        refused++; // what hostile input must end in; anything else fails the test
      }
    }
    assertThat(decoded + refused).isEqualTo(20_000);
    assertThat(refused).isGreaterThan(19_000);
  }
}
