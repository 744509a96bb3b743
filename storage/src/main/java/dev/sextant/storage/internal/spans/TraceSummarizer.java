package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceSummary;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;

/**
 * Summarises a trace from every one of its span documents, reading doc values only. Documents of
 * one span indexed twice (a client retry, a re-feed after a crash) count once: they share start,
 * duration, name and the span ID's low 16 bits. Distinct spans may share all four too (synthetic
 * traces with a coarse clock), so a trace where the key repeats is summarised again from its
 * stored spans, which are unique by span ID.
 */
final class TraceSummarizer extends SimpleCollector {
  private final TreeSet<String> services = new TreeSet<>();
  // Re-sent or re-indexed spans: same start, duration, name, span ID's low bits count once.
  private final HashSet<Long> seen = new HashSet<>();
  private NumericDocValues start;
  private NumericDocValues duration;
  private NumericDocValues flags;
  private SortedDocValues serviceName;
  private boolean repeatedKey;
  private int spans;
  private int errors;
  private long minStart = Long.MAX_VALUE;
  private long maxEnd = Long.MIN_VALUE;
  // The root candidate: a parentless span beats any child; among equals, the earliest wins.
  private boolean bestIsRoot;
  private long bestStart = Long.MAX_VALUE;
  private String bestService = "";
  private String bestName = "";

  private TraceSummarizer() {}

  /**
   * The summary of {@code traceId}, or null when no span of it is indexed.
   *
   * @param storedSpans the trace's stored spans, asked for only when two documents may be one span
   *     indexed twice; an empty answer keeps the index's count
   */
  static TraceSummary summarize(IndexSearcher searcher, String traceId,
      Function<String, List<Span>> storedSpans) throws IOException {
    TraceSummarizer c = new TraceSummarizer();
    searcher.search(new TermQuery(new Term(SpanDocuments.TRACE_ID,
        SpanDocuments.traceIdTerm(traceId))), c);
    if (c.spans == 0) {
      return null;
    }
    if (c.repeatedKey) {
      List<Span> spans = storedSpans.apply(traceId);
      if (!spans.isEmpty()) {
        return fromSpans(traceId, spans);
      }
    }
    return c.summary(traceId);
  }

  /** The summary of a trace's stored spans (unique by span ID). */
  static TraceSummary fromSpans(String traceId, List<Span> spans) {
    TraceSummarizer c = new TraceSummarizer();
    for (Span s : spans) {
      c.add(s.startTimeUnixNano(), Math.max(0, s.durationNanos()),
          s.statusCode() == StatusCode.ERROR, s.isRoot(), s.serviceName(), s.name());
    }
    return c.summary(traceId);
  }

  private TraceSummary summary(String traceId) {
    return new TraceSummary(traceId, bestService, bestName, minStart,
        Math.max(0, maxEnd - minStart), spans, errors, services.stream().toList());
  }

  @Override
  protected void doSetNextReader(LeafReaderContext ctx) throws IOException {
    start = DocValues.getNumeric(ctx.reader(), SpanDocuments.START);
    duration = DocValues.getNumeric(ctx.reader(), SpanDocuments.DURATION);
    flags = DocValues.getNumeric(ctx.reader(), SpanDocuments.FLAGS);
    serviceName = DocValues.getSorted(ctx.reader(), SpanDocuments.SERVICE_NAME);
  }

  @Override
  public void collect(int doc) throws IOException {
    long s = start.advanceExact(doc) ? start.longValue() : 0;
    long d = duration.advanceExact(doc) ? duration.longValue() : 0;
    long f = flags.advanceExact(doc) ? flags.longValue() : 0;
    String sn = serviceName.advanceExact(doc)
        ? serviceName.lookupOrd(serviceName.ordValue()).utf8ToString() : "";
    int cut = sn.indexOf(SpanDocuments.SEPARATOR);
    String svc = cut < 0 ? sn : sn.substring(0, cut);
    String spanName = cut < 0 ? "" : sn.substring(cut + 1);
    long low = f >>> SpanDocuments.SPAN_ID_LOW_SHIFT;
    // The key includes the service: the old schema's key (name only) was no weaker.
    if (!seen.add(s * 0x9E3779B97F4A7C15L + d * 0xC2B2AE3D27D4EB4FL
        + (sn.hashCode() * 31L + low) * 0x165667B19E3779F9L)) {
      repeatedKey = true;
      return;
    }
    add(s, d, (f & SpanDocuments.ERROR_BIT) != 0, (f & SpanDocuments.ROOT_BIT) != 0, svc,
        spanName);
  }

  private void add(long s, long d, boolean error, boolean isRoot, String svc, String spanName) {
    spans++;
    errors += error ? 1 : 0;
    services.add(svc);
    minStart = Math.min(minStart, s);
    maxEnd = Math.max(maxEnd, s + d);
    if ((isRoot && !bestIsRoot) || (isRoot == bestIsRoot && s < bestStart)) {
      bestIsRoot = isRoot;
      bestStart = s;
      bestService = svc;
      bestName = spanName;
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }
}
