package dev.sextant.storage.internal.search;

import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import java.util.Map;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;

/** Translates a {@link TraceQuery} into a Lucene query over span documents. */
final class SpanQueries {
  private SpanQueries() {}

  static Query toQuery(TraceQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
    if (!q.serviceName().isEmpty()) {
      b.add(term(SpanDocuments.SERVICE, q.serviceName()), BooleanClause.Occur.FILTER);
    }
    if (!q.spanName().isEmpty()) {
      b.add(term(SpanDocuments.NAME, q.spanName()), BooleanClause.Occur.FILTER);
    }
    for (Map.Entry<String, String> e : q.attributes().entrySet()) {
      b.add(term(AttributeFields.PREFIX + e.getKey(), e.getValue()), BooleanClause.Occur.FILTER);
    }
    if (q.errorsOnly()) {
      b.add(term(SpanDocuments.STATUS, StatusCode.ERROR.name()), BooleanClause.Occur.FILTER);
    }
    if (q.minDurationNanos() > 0 || q.maxDurationNanos() < Long.MAX_VALUE) {
      b.add(NumericDocValuesField.newSlowRangeQuery(SpanDocuments.DURATION, q.minDurationNanos(),
          q.maxDurationNanos()), BooleanClause.Occur.FILTER);
    }
    if (q.fromUnixNano() > 0 || q.toUnixNano() < Long.MAX_VALUE) {
      long to = q.toUnixNano() == Long.MAX_VALUE ? Long.MAX_VALUE : q.toUnixNano() - 1;
      b.add(LongPoint.newRangeQuery(SpanDocuments.START, q.fromUnixNano(), to),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  static Sort sort(TraceQuery.Order order) {
    String field = order == TraceQuery.Order.DURATION_DESC
        ? SpanDocuments.DURATION : SpanDocuments.START;
    return new Sort(new SortField(field, SortField.Type.LONG, true));
  }

  private static Query term(String field, String value) {
    return new TermQuery(new Term(field, value));
  }
}
