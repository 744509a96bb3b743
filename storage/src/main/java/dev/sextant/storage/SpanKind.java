package dev.sextant.storage;

/** The OpenTelemetry span kind; the ordinal matches the OTLP enum value. */
public enum SpanKind {
  UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

  private static final SpanKind[] VALUES = values();

  /** From the OTLP enum number; unknown numbers map to {@link #UNSPECIFIED}. */
  public static SpanKind fromOtlp(int number) {
    return number >= 0 && number < VALUES.length ? VALUES[number] : UNSPECIFIED;
  }
}
