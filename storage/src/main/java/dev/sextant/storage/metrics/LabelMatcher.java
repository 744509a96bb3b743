package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A PromQL label matcher: {@code =}, {@code !=}, {@code =~}, {@code !~}. Regular expressions are
 * RE2 ({@link UserRegex}) and fully anchored, as in Prometheus. An absent label matches as the
 * empty string.
 */
public final class LabelMatcher {
  /** The four matcher kinds, with their PromQL spelling. */
  public enum Type {
    EQ("="), NEQ("!="), RE("=~"), NRE("!~");

    private final String op;

    Type(String op) {
      this.op = op;
    }

    public String op() {
      return op;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final UserRegex regex;
  private final boolean matchesEmpty;

  private LabelMatcher(Type type, String name, String value) {
    this.type = requireNonNull(type, "type");
    this.name = requireNonNull(name, "name");
    this.value = requireNonNull(value, "value");
    this.regex = type == Type.RE || type == Type.NRE ? UserRegex.anchored(value) : null;
    this.matchesEmpty = matches("");
  }

  /**
   * A matcher; for {@code =~} and {@code !~}, {@code value} is an RE2 expression.
   *
   * @throws InvalidRegexException when a regex is not RE2 or over a {@link UserRegex} limit
   */
  public static LabelMatcher of(Type type, String name, String value) {
    return new LabelMatcher(type, name, value);
  }

  public static LabelMatcher eq(String name, String value) {
    return new LabelMatcher(Type.EQ, name, value);
  }

  public static LabelMatcher neq(String name, String value) {
    return new LabelMatcher(Type.NEQ, name, value);
  }

  public static LabelMatcher re(String name, String regex) {
    return new LabelMatcher(Type.RE, name, regex);
  }

  public static LabelMatcher nre(String name, String regex) {
    return new LabelMatcher(Type.NRE, name, regex);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  /** Whether a label value ({@code ""} when the label is absent) satisfies this matcher. */
  public boolean matches(String labelValue) {
    return switch (type) {
      case EQ -> value.equals(labelValue);
      case NEQ -> !value.equals(labelValue);
      case RE -> regex.matches(labelValue);
      case NRE -> !regex.matches(labelValue);
    };
  }

  /** Whether the matcher accepts a series that lacks the label (i.e. matches {@code ""}). */
  public boolean matchesEmpty() {
    return matchesEmpty;
  }

  /**
   * For {@code =~} and {@code !~} whose expression is a literal or an alternation of literals
   * ({@code a|b|c}): the values the expression matches ({@code =~} accepts exactly these,
   * {@code !~} accepts all others). Null for other matchers. An index looks these values up
   * instead of testing each value it holds.
   */
  public @Nullable Set<String> setMatches() {
    return regex == null ? null : regex.literals();
  }

  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelMatcher m && m.type == type && m.name.equals(name)
        && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return name + type.op + quote(value);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
