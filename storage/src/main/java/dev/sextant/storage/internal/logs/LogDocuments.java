package dev.sextant.storage.internal.logs;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.UnindexedRecords;
import dev.sextant.storage.internal.index.AttributeFields;
import dev.sextant.storage.internal.index.IndexTerms;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;

/**
 * One Lucene document per log record. Nothing is stored: a hit's sort values (time, seq) are its
 * RocksDB key. Keyword values are cut to Lucene's term limit ({@link IndexTerms}); attribute
 * values longer than {@link AttributeFields} indexes are left out.
 */
final class LogDocuments {
  static final String TIME = "time";
  static final String SEQ = "seq";
  static final String BODY = "body";
  static final String SEVERITY = "severity_number";
  static final String SERVICE = "service";
  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";
  static final String CORRELATION_ID = "correlation_id";

  private LogDocuments() {}

  static Document toDocument(LogRecord r, long seq) {
    Document doc = new Document();
    long time = r.effectiveTimeUnixNano();
    doc.add(new LongPoint(TIME, time));
    doc.add(new NumericDocValuesField(TIME, time));
    doc.add(new LongPoint(SEQ, seq));
    doc.add(new NumericDocValuesField(SEQ, seq));
    doc.add(new TextField(BODY, r.body(), Field.Store.NO));
    doc.add(new IntPoint(SEVERITY, r.severityNumber()));
    doc.add(new StringField(SERVICE, IndexTerms.clamp(r.serviceName()), Field.Store.NO));
    // Lowercase as stored and as queried: a record sent with uppercase IDs is found by them.
    addKeyword(doc, TRACE_ID, r.traceId().toLowerCase(Locale.ROOT));
    addKeyword(doc, SPAN_ID, r.spanId().toLowerCase(Locale.ROOT));
    addKeyword(doc, CORRELATION_ID, r.correlationId());
    AttributeFields.add(doc, r.resourceAttributes());
    AttributeFields.add(doc, r.attributes());
    return doc;
  }

  /**
   * Adds {@code docs} in one call; when Lucene refuses one of them (and so the whole call), adds
   * them one by one, leaving out, counting and logging only the refused ones.
   *
   * @param id the {@code i}th document's record, for the log
   */
  static void addAll(IndexWriter writer, List<Document> docs, IntFunction<String> id,
      UnindexedRecords unindexed) throws IOException {
    try {
      writer.addDocuments(docs);
    } catch (IllegalArgumentException refused) {
      for (int i = 0; i < docs.size(); i++) {
        try {
          writer.addDocument(docs.get(i));
        } catch (IllegalArgumentException e) {
          unindexed.skipped(id.apply(i), e);
        }
      }
    }
  }

  /** How a log message names a record: its RocksDB key, time and sequence number. */
  static String id(long timeUnixNano, long seq) {
    return "time " + timeUnixNano + " seq " + seq;
  }

  private static void addKeyword(Document doc, String field, String value) {
    if (!value.isEmpty()) {
      doc.add(new StringField(field, IndexTerms.clamp(value), Field.Store.NO));
    }
  }
}
