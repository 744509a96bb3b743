package dev.sextant.storage;

/** Searches stored log records. */
@FunctionalInterface
public interface LogReader {
  /**
   * Records matching every criterion of {@code query}, newest first (by
   * {@link LogRecord#effectiveTimeUnixNano()}, ties in reverse order of arrival), at most
   * {@link LogQuery#limit()} of them. Paging with {@link LogPage#nextCursor()} is stable: records
   * inserted after the first page do not shift or repeat later pages (a newer record never appears on
   * a later page; an older one inserted meanwhile may).
   *
   * @throws IllegalArgumentException when the query's cursor was not produced by this store
   */
  LogPage search(LogQuery query);
}
