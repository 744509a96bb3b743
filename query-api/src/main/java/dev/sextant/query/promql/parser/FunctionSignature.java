package dev.sextant.query.promql.parser;

import java.util.List;

/**
 * A function's signature. {@code variadic} is 0 for a fixed arity, N &gt; 0 when up to N trailing
 * arguments may be omitted, and -1 when the last argument type may repeat without limit.
 */
public record FunctionSignature(String name, List<ValueType> argTypes, int variadic,
    ValueType returnType) {
  public FunctionSignature {
    argTypes = List.copyOf(argTypes);
  }

  int minArgs() {
    return variadic > 0 ? argTypes.size() - variadic : variadic < 0 ? argTypes.size() - 1
        : argTypes.size();
  }

  /** The type of argument {@code i}; repeats the last type for variadic signatures. */
  public ValueType argType(int i) {
    return argTypes.get(Math.min(i, argTypes.size() - 1));
  }
}
