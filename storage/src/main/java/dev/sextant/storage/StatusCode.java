package dev.sextant.storage;

/** The span status code; the ordinal matches the OTLP enum value. */
public enum StatusCode {
  UNSET, OK, ERROR;

  private static final StatusCode[] VALUES = values();

  public static StatusCode fromOtlp(int number) {
    return number >= 0 && number < VALUES.length ? VALUES[number] : UNSET;
  }
}
