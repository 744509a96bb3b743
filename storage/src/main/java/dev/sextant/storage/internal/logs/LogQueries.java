package dev.sextant.storage.internal.logs;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.internal.index.AttributeFields;
import dev.sextant.storage.internal.index.IndexTerms;
import java.util.Base64;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.simple.SimpleQueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;

/** Translates a {@link LogQuery} into Lucene terms: the query, the sort, and the cursor. */
final class LogQueries {
  /** Newest first; the sequence number breaks ties, so the order is total and paging stable. */
  static final Sort NEWEST_FIRST = new Sort(new SortField(LogDocuments.TIME, SortField.Type.LONG,
      true), new SortField(LogDocuments.SEQ, SortField.Type.LONG, true));

  private LogQueries() {}

  static Query toQuery(LogQuery q, Analyzer analyzer) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    if (q.text().isBlank()) {
      b.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
    } else {
      // The simple syntax never throws on user input, unlike the classic query parser.
      SimpleQueryParser parser = new SimpleQueryParser(analyzer, LogDocuments.BODY);
      parser.setDefaultOperator(BooleanClause.Occur.MUST);
      b.add(parser.parse(q.text()), BooleanClause.Occur.MUST);
    }
    if (q.minSeverity() > 0) {
      b.add(IntPoint.newRangeQuery(LogDocuments.SEVERITY, q.minSeverity(), LogRecord.MAX_SEVERITY),
          BooleanClause.Occur.FILTER);
    }
    filter(b, LogDocuments.SERVICE, q.serviceName());
    filter(b, LogDocuments.TRACE_ID, q.traceId());
    filter(b, LogDocuments.SPAN_ID, q.spanId());
    filter(b, LogDocuments.CORRELATION_ID, q.correlationId());
    for (Map.Entry<String, String> e : q.attributes().entrySet()) {
      b.add(new TermQuery(new Term(AttributeFields.PREFIX + e.getKey(), e.getValue())),
          BooleanClause.Occur.FILTER);
    }
    if (q.fromUnixNano() > 0 || q.toUnixNano() < Long.MAX_VALUE) {
      long to = q.toUnixNano() == Long.MAX_VALUE ? Long.MAX_VALUE : q.toUnixNano() - 1;
      b.add(LongPoint.newRangeQuery(LogDocuments.TIME, q.fromUnixNano(), to),
          BooleanClause.Occur.FILTER);
    }
    return b.build();
  }

  private static void filter(BooleanQuery.Builder b, String field, String value) {
    if (!value.isEmpty()) {
      // Cut as LogDocuments cuts, so a search for a too-long value still matches.
      b.add(new TermQuery(new Term(field, IndexTerms.clamp(value))), BooleanClause.Occur.FILTER);
    }
  }

  /** The opaque cursor after a hit: its (time, seq), which is also its RocksDB key. */
  static String cursor(long time, long seq) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(LogKeys.recordKey(time, seq));
  }

  /**
   * The sort values a cursor names, or null for the first page.
   *
   * @throws IllegalArgumentException when the cursor is not one of ours
   */
  static Object[] after(String cursor) {
    if (cursor.isEmpty()) {
      return null;
    }
    byte[] k;
    try {
      k = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      k = null;
    }
    if (k == null || k.length != LogKeys.RECORD_KEY_BYTES) {
      throw new IllegalArgumentException("cursor: " + cursor + " (expected: a nextCursor of a page)");
    }
    return new Object[] {LogKeys.time(k), LogKeys.seq(k)};
  }

  /** A searchAfter position for {@code values} in an index of {@code maxDoc} documents. */
  static FieldDoc position(Object[] values, int maxDoc) {
    // The highest doc ID: a hit with the cursor's own values counts as already returned.
    return values == null ? null : new FieldDoc(Math.max(0, maxDoc - 1), Float.NaN, values);
  }
}
