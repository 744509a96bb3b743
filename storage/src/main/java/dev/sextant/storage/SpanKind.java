package dev.sextant.storage;

/** The OpenTelemetry span kind; the ordinal matches the OTLP enum value. */
public enum SpanKind {
  UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

  private static final SpanKind[] VALUES = values();

  /**
   * The OTLP enum number ({@code Span.SpanKind} in trace.proto): what the stores and the cluster's
   * record format write, so that the numbers on disk are OTLP's, not this enum's declaration order.
   */
  public int otlpNumber() {
    return ordinal();
  }

  /** From the OTLP enum number; unknown numbers map to {@link #UNSPECIFIED}. */
  public static SpanKind fromOtlp(int number) {
    return number >= 0 && number < VALUES.length ? VALUES[number] : UNSPECIFIED;
  }
}
