package dev.sextant.storage.embedded;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.internal.logs.LogStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The log store's search plus the pinned copies whose block retention dropped (a copy whose
 * block still exists is found there, so none shows twice). Only searches by trace or correlation
 * ID without text see copies: they follow the store's last page, newest first, paged with
 * cursors of their own ({@code pinned:<offset>}); the other criteria apply to them as well.
 */
final class PinnedLogReader implements LogReader {
  private static final String CURSOR = "pinned:";

  private final LogStore store;
  private final DefaultPins pins;

  PinnedLogReader(LogStore store, DefaultPins pins) {
    this.store = store;
    this.pins = pins;
  }

  @Override
  public LogPage search(LogQuery q) {
    if (q.cursor().startsWith(CURSOR)) {
      int offset;
      try {
        offset = Integer.parseInt(q.cursor().substring(CURSOR.length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cursor: " + q.cursor() + " (expected: a cursor of"
            + " a previous page)", e);
      }
      return page(new ArrayList<>(), pinned(q), offset, q.limit());
    }
    LogPage page = store.search(q);
    if (page.hasMore() || !q.text().isEmpty()
        || (q.traceId().isEmpty() && q.correlationId().isEmpty())) {
      return page;
    }
    List<LogRecord> pinned = pinned(q);
    return pinned.isEmpty() ? page : page(new ArrayList<>(page.records()), pinned, 0, q.limit());
  }

  private static LogPage page(List<LogRecord> out, List<LogRecord> pinned, int offset,
      int limit) {
    int i = Math.max(0, offset);
    while (i < pinned.size() && out.size() < limit) {
      out.add(pinned.get(i++));
    }
    return new LogPage(out, i < pinned.size() ? CURSOR + i : "");
  }

  private List<LogRecord> pinned(LogQuery q) {
    Set<LogRecord> found = new LinkedHashSet<>();
    if (!q.traceId().isEmpty()) {
      found.addAll(pins.logs("t" + q.traceId().toLowerCase(Locale.ROOT))); // kept lowercase
    }
    if (!q.correlationId().isEmpty()) {
      found.addAll(pins.logs("c" + q.correlationId()));
    }
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : found) {
      if (!store.holdsBlockFor(r.effectiveTimeUnixNano()) && matches(q, r)) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparingLong(LogRecord::effectiveTimeUnixNano).reversed());
    return out;
  }

  private static boolean matches(LogQuery q, LogRecord r) {
    long t = r.effectiveTimeUnixNano();
    if (t < q.fromUnixNano() || t >= q.toUnixNano() || r.severityNumber() < q.minSeverity()) {
      return false;
    }
    if (!same(q.traceId().toLowerCase(Locale.ROOT), r.traceId())
        || !same(q.spanId().toLowerCase(Locale.ROOT), r.spanId())
        || !same(q.correlationId(), r.correlationId())
        || !same(q.serviceName(), r.serviceName())) {
      return false;
    }
    for (Map.Entry<String, String> a : q.attributes().entrySet()) {
      Object v = r.attributes().containsKey(a.getKey()) ? r.attributes().get(a.getKey())
          : r.resourceAttributes().get(a.getKey());
      if (v == null || !String.valueOf(v).equals(a.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(String wanted, String actual) {
    return wanted.isEmpty() || Objects.equals(wanted, actual);
  }
}
