package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of log search results, newest first.
 *
 * @param nextCursor pass to {@link LogQueryBuilder#cursor(String)} for the next page; empty when
 *     this is the last page, i.e. no further record matches (so a page that ends exactly at the
 *     last matching record has none, and a next page is never empty)
 */
public record LogPage(List<LogRecord> records, String nextCursor) {
  public LogPage {
    records = List.copyOf(requireNonNull(records, "records"));
    requireNonNull(nextCursor, "nextCursor");
  }

  public boolean hasMore() {
    return !nextCursor.isEmpty();
  }
}
