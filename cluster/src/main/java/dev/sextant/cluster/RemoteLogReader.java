package dev.sextant.cluster;

import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The log side of {@link RemoteStorage}: each page asks every store still holding records for
 * a page of its own, merge-sorts them newest first and keeps {@link LogQuery#limit()}; the
 * cursor ({@link LogCursor}) says, per store, where its next page starts. A record equal in
 * every field to one taken from another store at the same time is a replica's copy (the same
 * Kafka record stored twice) and is kept once.
 */
final class RemoteLogReader implements LogReader {
  private final StoreClients clients;
  private final String tenant;

  RemoteLogReader(StoreClients clients, String tenant) {
    this.clients = clients;
    this.tenant = tenant;
  }

  @Override
  public LogPage search(LogQuery query) {
    clients.checkOpen();
    Map<URI, LogCursor.Position> from = new LinkedHashMap<>();
    if (query.cursor().isEmpty()) {
      for (URI store : clients.stores()) {
        from.put(store, LogCursor.Position.START);
      }
    } else {
      from.putAll(LogCursor.decode(query.cursor()));
    }
    if (from.isEmpty()) {
      return new LogPage(List.of(), "");
    }
    // Each store gets its own cursor and limit.
    Map<URI, byte[]> bodies = new LinkedHashMap<>();
    for (Map.Entry<URI, LogCursor.Position> e : from.entrySet()) {
      LogCursor.Position at = e.getValue();
      long to = query.toUnixNano();
      int skip = at.taken();
      if (at.cursor().isEmpty() && at.lastTime() != Long.MAX_VALUE) {
        // Asked again from its start: everything of it newer than the last record taken was
        // taken, or arrived since and must not shift this page; leave it out, so the page holds
        // `limit` records past the ones taken at that last time.
        to = Math.min(to, at.lastTime() + 1);
        skip = at.atLastTime();
      }
      LogQuery q = new LogQuery(query.text(), query.minSeverity(), query.serviceName(),
          query.traceId(), query.spanId(), query.correlationId(), query.attributes(),
          query.fromUnixNano(), to, Math.min(LogQuery.MAX_LIMIT, query.limit() + skip),
          at.cursor());
      WireWriter w = ReadWire.writer();
      ReadWire.writeLogQuery(w, q);
      bodies.put(e.getKey(), w.toByteArray());
    }
    Map<URI, LogPage> pages = clients.fanOutByStore(bodies, "logs", tenant, ReadWire::readLogPage);
    List<Source> sources = new ArrayList<>();
    pages.forEach((store, page) -> sources.add(new Source(store, from.get(store), page)));
    List<LogRecord> out = merge(sources, query.limit());
    Map<URI, LogCursor.Position> next = new LinkedHashMap<>();
    // A store that did not answer (reported) keeps its position: the next page asks it again.
    from.forEach((store, at) -> {
      if (!pages.containsKey(store)) {
        next.put(store, at);
      }
    });
    long cut = out.isEmpty() ? Long.MAX_VALUE
        : out.get(out.size() - 1).effectiveTimeUnixNano();
    for (Source s : sources) {
      LogCursor.Position p = s.next(cut);
      if (p != null) {
        next.put(s.store, p);
      }
    }
    return new LogPage(out, next.isEmpty() ? "" : LogCursor.encode(next));
  }

  private static List<LogRecord> merge(List<Source> sources, int limit) {
    List<LogRecord> out = new ArrayList<>(limit);
    List<LogRecord> atTime = new ArrayList<>();
    List<Source> atTimeFrom = new ArrayList<>();
    while (out.size() < limit) {
      Source best = null;
      for (Source s : sources) {
        if (!s.hasBuffered()) {
          if (s.page.hasMore()) {
            // its next record, not fetched yet, may be newer than any buffered one
            dropCopiesAtCut(sources, atTime, atTimeFrom);
            return out;
          }
          continue;
        }
        if (best == null || s.peek().effectiveTimeUnixNano() > best.peek().effectiveTimeUnixNano()) {
          best = s;
        }
      }
      if (best == null) {
        return out;
      }
      LogRecord r = best.take();
      if (!atTime.isEmpty() && atTime.get(0).effectiveTimeUnixNano() != r.effectiveTimeUnixNano()) {
        atTime.clear();
        atTimeFrom.clear();
      }
      if (isReplicaCopy(r, best, atTime, atTimeFrom)) {
        continue;
      }
      atTime.add(r);
      atTimeFrom.add(best);
      out.add(r);
    }
    dropCopiesAtCut(sources, atTime, atTimeFrom);
    return out;
  }

  /**
   * At the page's cut, takes (drops) the copies of records this page returned that other stores
   * hold next: the replica-copy check sees one page only, so a copy left at the head of a store
   * would be the first record of that store on the next page and be returned a second time
   * (a partition rebuilt by one store while another still held it, cut at the page limit).
   */
  private static void dropCopiesAtCut(List<Source> sources, List<LogRecord> atTime,
      List<Source> atTimeFrom) {
    if (atTime.isEmpty()) {
      return;
    }
    long time = atTime.get(0).effectiveTimeUnixNano();
    for (Source s : sources) {
      while (s.hasBuffered() && s.peek().effectiveTimeUnixNano() == time
          && isReplicaCopy(s.peek(), s, atTime, atTimeFrom)) {
        s.take();
      }
    }
  }

  private static boolean isReplicaCopy(LogRecord r, Source from, List<LogRecord> atTime,
      List<Source> atTimeFrom) {
    for (int i = 0; i < atTime.size(); i++) {
      if (atTimeFrom.get(i) != from && atTime.get(i).equals(r)) {
        return true;
      }
    }
    return false;
  }

  /** One store's page: skips what earlier pages took of it, then hands out records in order. */
  private static final class Source {
    final URI store;
    final LogCursor.Position at;
    final LogPage page;
    private int next;
    private int skippedAtTime;
    private long lastTime;
    private int takenAtLastTime;

    Source(URI store, LogCursor.Position at, LogPage page) {
      this.store = store;
      this.at = at;
      this.page = page;
      this.lastTime = at.lastTime();
      this.takenAtLastTime = at.atLastTime();
      List<LogRecord> records = page.records();
      while (next < records.size()) {
        long t = records.get(next).effectiveTimeUnixNano();
        if (t > at.lastTime() || t == at.lastTime() && skippedAtTime < at.atLastTime()) {
          if (t == at.lastTime()) {
            skippedAtTime++;
          }
          next++;
        } else {
          break;
        }
      }
    }

    boolean hasBuffered() {
      return next < page.records().size();
    }

    LogRecord peek() {
      return page.records().get(next);
    }

    LogRecord take() {
      LogRecord r = page.records().get(next++);
      long t = r.effectiveTimeUnixNano();
      takenAtLastTime = t == lastTime ? takenAtLastTime + 1 : 1;
      lastTime = t;
      return r;
    }

    /**
     * Where this store's next page starts, or null when it has nothing more; {@code cut} is the
     * time of the page's last record.
     */
    LogCursor.Position next(long cut) {
      if (hasBuffered()) {
        if (at.cursor().isEmpty() && lastTime == Long.MAX_VALUE && cut != Long.MAX_VALUE) {
          // Asked from its start and nothing of it taken: bound it at the page's cut, as a store
          // that gave records is bounded at its last one; unbounded, a record arriving on it
          // before the next page would come first on that page and push an older one out.
          return new LogCursor.Position("", 0, cut, 0);
        }
        return new LogCursor.Position(at.cursor(), next, lastTime, takenAtLastTime);
      }
      return page.hasMore() ? new LogCursor.Position(page.nextCursor(), 0, Long.MAX_VALUE, 0)
          : null;
    }
  }
}
