package dev.sextant.query.promql.parser;

import java.util.Locale;

/** Aggregation operators; {@link #paramType()} is null for those without a parameter. */
public enum AggOp {
  SUM(null), AVG(null), COUNT(null), MIN(null), MAX(null), GROUP(null), STDDEV(null), STDVAR(null),
  TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR),
  COUNT_VALUES(ValueType.STRING), LIMITK(ValueType.SCALAR), LIMIT_RATIO(ValueType.SCALAR);

  private final ValueType paramType;

  AggOp(ValueType paramType) {
    this.paramType = paramType;
  }

  public ValueType paramType() {
    return paramType;
  }

  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  static AggOp byKeyword(String word) {
    for (AggOp op : values()) {
      if (op.keyword().equalsIgnoreCase(word)) {
        return op;
      }
    }
    return null;
  }
}
