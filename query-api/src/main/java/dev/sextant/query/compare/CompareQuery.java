package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

/**
 * What to compare: traces of {@code [fromUnixNano, toUnixNano)} through {@code service} and
 * {@code operation} (empty for any) split by {@code selection}.
 *
 * @param limit most differences returned, 1-1000
 */
public record CompareQuery(String service, String operation, Selection selection,
    long fromUnixNano, long toUnixNano, int limit) {
  public CompareQuery {
    requireNonNull(service, "service");
    requireNonNull(operation, "operation");
    requireNonNull(selection, "selection");
    if (fromUnixNano > toUnixNano) {
      throw new IllegalArgumentException("toUnixNano: " + toUnixNano + " (expected: >= "
          + fromUnixNano + ")");
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: 1-1000)");
    }
    if (selection.kind() == Selection.Kind.ALL && service.isEmpty() && operation.isEmpty()) {
      throw new IllegalArgumentException(
          "service: '' (expected: a service or operation when selection is all)");
    }
  }
}
