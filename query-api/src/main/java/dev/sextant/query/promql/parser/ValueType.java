package dev.sextant.query.promql.parser;

/** The type of a PromQL expression's value. */
public enum ValueType {
  SCALAR("scalar"), STRING("string"), VECTOR("instant vector"), MATRIX("range vector");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  /** The name used in Prometheus's error messages and API ({@code "instant vector"}). */
  public String description() {
    return description;
  }

  /** The name used for {@code data.resultType} in the HTTP API. */
  public String apiName() {
    return switch (this) {
      case SCALAR -> "scalar";
      case STRING -> "string";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
    };
  }
}
