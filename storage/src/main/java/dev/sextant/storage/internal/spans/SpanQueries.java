package dev.sextant.storage.internal.spans;

import dev.sextant.storage.TraceQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.StringHelper;

/** Translates a {@link TraceQuery} into a Lucene query over span documents ({@link SpanDocuments}). */
final class SpanQueries {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private SpanQueries() {}

  /** The query; {@code reader} resolves a span name given without a service. */
  static Query toQuery(TraceQuery q, IndexReader reader) throws IOException {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
    if (!q.serviceName().isEmpty() || !q.spanName().isEmpty()) {
      b.add(serviceAndName(q.serviceName(), q.spanName(), reader), BooleanClause.Occur.FILTER);
    }
    for (Map.Entry<String, String> e : q.attributes().entrySet()) {
      b.add(new TermQuery(new Term(SpanDocuments.TAGS,
          SpanDocuments.attributeTerm(e.getKey(), e.getValue()))), BooleanClause.Occur.FILTER);
    }
    if (q.errorsOnly()) {
      b.add(new TermQuery(new Term(SpanDocuments.TAGS, SpanDocuments.tag(SpanDocuments.ERROR_TAG,
          ""))), BooleanClause.Occur.FILTER);
    }
    if (q.minDurationNanos() > 0 || q.maxDurationNanos() < Long.MAX_VALUE) {
      b.add(NumericDocValuesField.newSlowRangeQuery(SpanDocuments.DURATION, q.minDurationNanos(),
          q.maxDurationNanos()), BooleanClause.Occur.FILTER);
    }
    if (q.fromUnixNano() > 0 || q.toUnixNano() < Long.MAX_VALUE) {
      b.add(startRange(q.fromUnixNano(), q.toUnixNano() == Long.MAX_VALUE ? Long.MAX_VALUE
          : q.toUnixNano() - 1), BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  /**
   * Spans that started in {@code [from, to]} (unix nanos): the seconds point finds the candidates,
   * the start's doc values check them exactly.
   */
  static Query startRange(long from, long to) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(LongPoint.newRangeQuery(SpanDocuments.START_SECONDS, SpanDocuments.seconds(from),
        SpanDocuments.seconds(to)), BooleanClause.Occur.FILTER);
    if (Math.floorMod(from, NANOS_PER_SECOND) != 0
        || Math.floorMod(to, NANOS_PER_SECOND) != NANOS_PER_SECOND - 1) {
      b.add(NumericDocValuesField.newSlowRangeQuery(SpanDocuments.START, from, to),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  private static Query serviceAndName(String service, String name, IndexReader reader)
      throws IOException {
    if (!service.isEmpty()) {
      return name.isEmpty()
          ? new PrefixQuery(new Term(SpanDocuments.TAGS, SpanDocuments.serviceNameTerm(service,
              null)))
          : new TermQuery(new Term(SpanDocuments.TAGS,
              SpanDocuments.serviceNameTerm(service, name)));
    }
    // A name without a service: the service + name terms ending with it (few: one per service).
    BytesRef suffix = new BytesRef(SpanDocuments.SEPARATOR + name);
    List<BytesRef> matching = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(reader, SpanDocuments.TAGS);
    if (terms != null) {
      BytesRef prefix = new BytesRef(new byte[] {SpanDocuments.SERVICE_NAME_TAG});
      TermsEnum it = terms.iterator();
      if (it.seekCeil(prefix) != TermsEnum.SeekStatus.END) {
        for (BytesRef t = it.term(); t != null && StringHelper.startsWith(t, prefix);
            t = it.next()) {
          if (StringHelper.endsWith(t, suffix) && firstSeparator(t) == t.length - suffix.length) {
            matching.add(BytesRef.deepCopyOf(t));
          }
        }
      }
    }
    return matching.isEmpty() ? new MatchNoDocsQuery("no span named " + name)
        : new TermInSetQuery(SpanDocuments.TAGS, matching);
  }

  /** Offset (relative to the term) of the first separator byte, -1 when none. */
  private static int firstSeparator(BytesRef t) {
    for (int i = 1; i < t.length; i++) {
      if (t.bytes[t.offset + i] == SpanDocuments.SEPARATOR) {
        return i;
      }
    }
    return -1;
  }

  static Sort sort(TraceQuery.Order order) {
    String field = order == TraceQuery.Order.DURATION_DESC
        ? SpanDocuments.DURATION : SpanDocuments.START;
    return new Sort(new SortField(field, SortField.Type.LONG, true));
  }
}
