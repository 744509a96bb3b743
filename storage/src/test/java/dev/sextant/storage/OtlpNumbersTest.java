package dev.sextant.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The enum numbers stores write are OTLP's (trace.proto), whatever order the constants are
 * declared in: reordering an enum must not change what data on disk means.
 */
class OtlpNumbersTest {
  @Test
  void spanKind_otlpNumberIsTraceProtos() {
    assertThat(SpanKind.UNSPECIFIED.otlpNumber()).isZero();
    assertThat(SpanKind.INTERNAL.otlpNumber()).isEqualTo(1);
    assertThat(SpanKind.SERVER.otlpNumber()).isEqualTo(2);
    assertThat(SpanKind.CLIENT.otlpNumber()).isEqualTo(3);
    assertThat(SpanKind.PRODUCER.otlpNumber()).isEqualTo(4);
    assertThat(SpanKind.CONSUMER.otlpNumber()).isEqualTo(5);
    for (SpanKind k : SpanKind.values()) {
      assertThat(SpanKind.fromOtlp(k.otlpNumber())).isEqualTo(k);
    }
    assertThat(SpanKind.fromOtlp(6)).isEqualTo(SpanKind.UNSPECIFIED);
  }

  @Test
  void statusCode_otlpNumberIsTraceProtos() {
    assertThat(StatusCode.UNSET.otlpNumber()).isZero();
    assertThat(StatusCode.OK.otlpNumber()).isEqualTo(1);
    assertThat(StatusCode.ERROR.otlpNumber()).isEqualTo(2);
    for (StatusCode c : StatusCode.values()) {
      assertThat(StatusCode.fromOtlp(c.otlpNumber())).isEqualTo(c);
    }
    assertThat(StatusCode.fromOtlp(-1)).isEqualTo(StatusCode.UNSET);
  }
}
