package dev.sextant.storage.internal.search;

import dev.sextant.storage.TraceSummary;
import java.io.IOException;
import java.util.HashSet;
import java.util.TreeSet;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** Summarises a trace from every one of its span documents, reading doc values only. */
final class TraceSummarizer extends SimpleCollector {
  private final TreeSet<String> services = new TreeSet<>();
  // Re-sent or re-indexed spans: same start, duration, name, span ID's low bits count once.
  private final HashSet<Long> seen = new HashSet<>();
  private NumericDocValues spanIdLow;
  private NumericDocValues start;
  private NumericDocValues duration;
  private NumericDocValues status;
  private NumericDocValues root;
  private SortedDocValues service;
  private SortedDocValues name;
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

  /** The summary of {@code traceId}, or null when no span of it is indexed. */
  static TraceSummary summarize(IndexSearcher searcher, String traceId) throws IOException {
    TraceSummarizer c = new TraceSummarizer();
    searcher.search(new TermQuery(new Term(SpanDocuments.TRACE_ID,
        SpanDocuments.traceIdTerm(traceId))), c);
    if (c.spans == 0) {
      return null;
    }
    return new TraceSummary(traceId, c.bestService, c.bestName, c.minStart,
        Math.max(0, c.maxEnd - c.minStart), c.spans, c.errors, c.services.stream().toList());
  }

  @Override
  protected void doSetNextReader(LeafReaderContext ctx) throws IOException {
    start = DocValues.getNumeric(ctx.reader(), SpanDocuments.START);
    spanIdLow = DocValues.getNumeric(ctx.reader(), SpanDocuments.SPAN_ID_LOW);
    duration = DocValues.getNumeric(ctx.reader(), SpanDocuments.DURATION);
    status = DocValues.getNumeric(ctx.reader(), SpanDocuments.STATUS);
    root = DocValues.getNumeric(ctx.reader(), SpanDocuments.ROOT);
    service = DocValues.getSorted(ctx.reader(), SpanDocuments.SERVICE);
    name = DocValues.getSorted(ctx.reader(), SpanDocuments.NAME);
  }

  @Override
  public void collect(int doc) throws IOException {
    long s = start.advanceExact(doc) ? start.longValue() : 0;
    long d = duration.advanceExact(doc) ? duration.longValue() : 0;
    BytesRef spanName = name.advanceExact(doc) ? name.lookupOrd(name.ordValue()) : new BytesRef();
    long low = spanIdLow.advanceExact(doc) ? spanIdLow.longValue() : 0;
    if (!seen.add(s * 0x9E3779B97F4A7C15L + d * 0xC2B2AE3D27D4EB4FL
        + (spanName.hashCode() * 31L + low) * 0x165667B19E3779F9L)) {
      return;
    }
    boolean error = status.advanceExact(doc) && status.longValue() == 1;
    boolean isRoot = root.advanceExact(doc) && root.longValue() == 1;
    String svc = service.advanceExact(doc) ? service.lookupOrd(service.ordValue()).utf8ToString() : "";
    spans++;
    errors += error ? 1 : 0;
    services.add(svc);
    minStart = Math.min(minStart, s);
    maxEnd = Math.max(maxEnd, s + d);
    if ((isRoot && !bestIsRoot) || (isRoot == bestIsRoot && s < bestStart)) {
      bestIsRoot = isRoot;
      bestStart = s;
      bestService = svc;
      bestName = spanName.utf8ToString();
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.COMPLETE_NO_SCORES;
  }
}
