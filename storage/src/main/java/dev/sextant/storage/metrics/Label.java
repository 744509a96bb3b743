package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

/** One label: a name and a value. Neither is null; an empty value means "label absent" to matchers. */
public record Label(String name, String value) implements Comparable<Label> {
  public Label {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
  }

  @Override
  public int compareTo(Label o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : value.compareTo(o.value);
  }
}
