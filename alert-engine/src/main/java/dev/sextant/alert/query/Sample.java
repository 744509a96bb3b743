package dev.sextant.alert.query;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.Labels;

/** One element of an instant vector: a series' labels (including {@code __name__}) and value. */
public record Sample(Labels labels, double value) {
  public Sample {
    requireNonNull(labels, "labels");
  }

  /** A sample with labels given as name, value, name, value, ... */
  public static Sample of(double value, String... namesAndValues) {
    return new Sample(Labels.of(namesAndValues), value);
  }
}
