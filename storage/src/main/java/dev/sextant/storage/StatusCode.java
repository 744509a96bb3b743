package dev.sextant.storage;

/** The span status code; the ordinal matches the OTLP enum value. */
public enum StatusCode {
  UNSET, OK, ERROR;

  private static final StatusCode[] VALUES = values();

  /**
   * The OTLP enum number ({@code Status.StatusCode} in trace.proto): what the stores and the
   * cluster's record format write, so that the numbers on disk are OTLP's, not this enum's
   * declaration order.
   */
  public int otlpNumber() {
    return ordinal();
  }

  /** From the OTLP enum number; unknown numbers map to {@link #UNSET}. */
  public static StatusCode fromOtlp(int number) {
    return number >= 0 && number < VALUES.length ? VALUES[number] : UNSET;
  }
}
