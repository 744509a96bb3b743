package dev.sextant.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class IdsTest {
  private static final String TRACE = "0123456789abcdef0123456789ABCDEF";
  private static final String SPAN = "00000000000000a1";

  @Test
  void isValid_exactLengthHexNotAllZero() {
    assertThat(Ids.isValidTraceId(TRACE)).isTrue();
    assertThat(Ids.isValidSpanId(SPAN)).isTrue();
    assertThat(Ids.isValidTraceId("0".repeat(32))).isFalse();
    assertThat(Ids.isValidSpanId("0".repeat(16))).isFalse();
    assertThat(Ids.isValidTraceId(TRACE.substring(1))).isFalse();
    assertThat(Ids.isValidTraceId(TRACE + "0")).isFalse();
    assertThat(Ids.isValidSpanId(SPAN.substring(0, 15) + "g")).isFalse();
    assertThat(Ids.isValidTraceId(SPAN)).isFalse(); // a 16-character trace ID needs padTraceId
    assertThat(Ids.isValidTraceId((String) null)).isFalse();
    assertThat(Ids.isValidSpanId("")).isFalse();
  }

  @Test
  void isValid_bytesFollowTheSameRule() {
    assertThat(Ids.isValidTraceId(ByteBuffer.wrap(Ids.fromHex(TRACE)))).isTrue();
    assertThat(Ids.isValidSpanId(ByteBuffer.wrap(Ids.fromHex(SPAN)))).isTrue();
    assertThat(Ids.isValidTraceId(ByteBuffer.wrap(new byte[16]))).isFalse();
    assertThat(Ids.isValidSpanId(ByteBuffer.wrap(new byte[8]))).isFalse();
    assertThat(Ids.isValidSpanId(ByteBuffer.wrap(new byte[9], 1, 8))).isFalse();
    byte[] b = new byte[10];
    b[9] = 1;
    assertThat(Ids.isValidSpanId(ByteBuffer.wrap(b, 2, 8))).isTrue();
    assertThat(Ids.isValidTraceId(ByteBuffer.wrap(new byte[8]))).isFalse();
    assertThat(Ids.isValidSpanId(ByteBuffer.wrap(new byte[0]))).isFalse();
  }

  @Test
  void check_lowercasesOrNamesTheFieldAndTheForm() {
    assertThat(Ids.checkTraceId("traceId", TRACE)).isEqualTo(TRACE.toLowerCase(Locale.ROOT));
    assertThat(Ids.checkSpanId("spanId", "00000000000000A1")).isEqualTo(SPAN);
    assertThatThrownBy(() -> Ids.checkTraceId("traceId", "0".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("traceId: '" + "0".repeat(32)
            + "' (expected: 32 hex characters, not all zero)");
    assertThatThrownBy(() -> Ids.checkSpanId("spanId", "x".repeat(1000)))
        .hasMessage("spanId: '" + "x".repeat(64)
            + "...' (expected: 16 hex characters, not all zero)");
    assertThatThrownBy(() -> Ids.checkSpanId("spanId", null))
        .hasMessage("spanId: 'null' (expected: 16 hex characters, not all zero)");
  }

  @Test
  void padTraceId_leftPadsShortIdsOnly() {
    assertThat(Ids.padTraceId("ABCDEF0123456789")).isEqualTo("0".repeat(16) + "abcdef0123456789");
    assertThat(Ids.padTraceId("1")).isEqualTo("0".repeat(31) + "1");
    assertThat(Ids.padTraceId(TRACE)).isEqualTo(TRACE.toLowerCase(Locale.ROOT));
    assertThat(Ids.padTraceId("0")).isNull();
    assertThat(Ids.padTraceId("0".repeat(16))).isNull();
    assertThat(Ids.padTraceId(TRACE + "1")).isNull();
    assertThat(Ids.padTraceId("xyz")).isNull();
    assertThat(Ids.padTraceId("")).isNull();
    assertThat(Ids.padTraceId(null)).isNull();
  }
}
