package dev.sextant.storage.internal.logs;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.internal.search.AttributeFields;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;

/**
 * One Lucene document per log record. Nothing is stored: a hit's sort values (time, seq) are its
 * RocksDB key.
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
    doc.add(new StringField(SERVICE, r.serviceName(), Field.Store.NO));
    addKeyword(doc, TRACE_ID, r.traceId());
    addKeyword(doc, SPAN_ID, r.spanId());
    addKeyword(doc, CORRELATION_ID, r.correlationId());
    AttributeFields.add(doc, r.resourceAttributes());
    AttributeFields.add(doc, r.attributes());
    return doc;
  }

  private static void addKeyword(Document doc, String field, String value) {
    if (!value.isEmpty()) {
      doc.add(new StringField(field, value, Field.Store.NO));
    }
  }
}
