package dev.sextant.query.promql.parser;

import static dev.sextant.query.promql.parser.ValueType.MATRIX;
import static dev.sextant.query.promql.parser.ValueType.SCALAR;
import static dev.sextant.query.promql.parser.ValueType.STRING;
import static dev.sextant.query.promql.parser.ValueType.VECTOR;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The signature table of every PromQL function the parser accepts (the engine has the bodies). */
public final class Functions {
  private static final Map<String, FunctionSignature> TABLE = new LinkedHashMap<>();

  static {
    for (String f : List.of("abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn",
        "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan",
        "tanh", "deg", "rad", "absent", "sort", "sort_desc", "timestamp", "histogram_count",
        "histogram_sum", "histogram_avg", "histogram_stddev", "histogram_stdvar")) {
      add(f, 0, VECTOR, VECTOR);
    }
    for (String f : List.of("rate", "irate", "increase", "delta", "idelta", "deriv", "resets",
        "changes", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
        "count_over_time", "last_over_time", "first_over_time", "present_over_time",
        "stddev_over_time", "stdvar_over_time", "mad_over_time", "absent_over_time",
        "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time",
        "ts_of_first_over_time")) {
      add(f, 0, VECTOR, MATRIX);
    }
    for (String f : List.of("day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour",
        "minute", "month", "year")) {
      add(f, 1, VECTOR, VECTOR);
    }
    for (String f : List.of("time", "pi", "step", "range", "start", "end")) {
      add(f, 0, SCALAR);
    }
    add("min_of", 0, SCALAR, SCALAR, SCALAR);
    add("max_of", 0, SCALAR, SCALAR, SCALAR);
    add("clamp", 0, VECTOR, VECTOR, SCALAR, SCALAR);
    add("clamp_max", 0, VECTOR, VECTOR, SCALAR);
    add("clamp_min", 0, VECTOR, VECTOR, SCALAR);
    add("round", 1, VECTOR, VECTOR, SCALAR);
    add("predict_linear", 0, VECTOR, MATRIX, SCALAR);
    add("quantile_over_time", 0, VECTOR, SCALAR, MATRIX);
    add("double_exponential_smoothing", 0, VECTOR, MATRIX, SCALAR, SCALAR);
    add("histogram_quantile", 0, VECTOR, SCALAR, VECTOR);
    add("histogram_quantiles", -1, VECTOR, VECTOR, STRING, SCALAR);
    add("histogram_fraction", 0, VECTOR, SCALAR, SCALAR, VECTOR);
    add("label_replace", 0, VECTOR, VECTOR, STRING, STRING, STRING, STRING);
    add("label_join", -1, VECTOR, VECTOR, STRING, STRING, STRING);
    add("sort_by_label", -1, VECTOR, VECTOR, STRING);
    add("sort_by_label_desc", -1, VECTOR, VECTOR, STRING);
    add("scalar", 0, SCALAR, VECTOR);
    add("vector", 0, VECTOR, SCALAR);
  }

  private Functions() {}

  private static void add(String name, int variadic, ValueType ret, ValueType... args) {
    TABLE.put(name, new FunctionSignature(name, List.of(args), variadic, ret));
  }

  /** The signature of {@code name}, or null if there is no such function. */
  public static FunctionSignature get(String name) {
    return TABLE.get(name);
  }

  /** All signatures, in table order. */
  public static Map<String, FunctionSignature> all() {
    return Collections.unmodifiableMap(TABLE);
  }
}
