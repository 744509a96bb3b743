package dev.sextant.alert.internal.template;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.query.QueryFunction;
import java.time.Instant;
import java.util.Map;

/**
 * What an alert template sees: {@code $labels}/{@code .Labels}, {@code $externalLabels},
 * {@code $externalURL}, {@code $value}/{@code .Value}, and (optionally) a query function for the
 * {@code query} template function, evaluated at {@code time}.
 */
public record TemplateContext(Map<String, String> labels, Map<String, String> externalLabels,
    String externalUrl, double value, QueryFunction query, Instant time) {
  public TemplateContext {
    requireNonNull(labels, "labels");
    requireNonNull(externalLabels, "externalLabels");
    requireNonNull(externalUrl, "externalUrl");
    requireNonNull(time, "time");
  }

  /** A context with only labels and a value (tests, {@code rules check}). */
  public static TemplateContext of(Map<String, String> labels, double value) {
    return new TemplateContext(labels, Map.of(), "", value, null, Instant.EPOCH);
  }
}
