package dev.sextant.storage.internal.search;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;

/** One Lucene document per span: the searchable fields plus what a trace summary needs. */
final class SpanDocuments {
  /**
   * Doc values only. A re-sent or re-indexed span gets a second document (a unique term per span to
   * replace it by would double the index size); summaries count each span ID once.
   */
  static final String SPAN_ID = "span_id";
  static final String TRACE_ID = "trace_id";
  static final String SERVICE = "service";
  static final String NAME = "name";
  /** {@code service + '\0' + name}: span names of a service are a term prefix scan. */
  static final String SERVICE_NAME = "service_name";
  static final char SEPARATOR = '\0';
  static final String KIND = "kind";
  static final String STATUS = "status";
  static final String ROOT = "root";
  static final String START = "start";
  static final String DURATION = "duration";

  private SpanDocuments() {}

  /**
   * Checks the span's IDs.
   *
   * @throws IllegalArgumentException when they are not 32 and 16 hex characters
   */
  static void validate(Span span) {
    if (!Ids.isValidTraceId(span.traceId()) || !Ids.isValidSpanId(span.spanId())) {
      throw new IllegalArgumentException("span " + span.traceId() + "/" + span.spanId()
          + ": invalid IDs (expected: 32 and 16 hex characters, not all zero)");
    }
  }

  /** The span ID as a number: what a trace summary dedupes on. */
  static long spanIdBits(String spanId) {
    return Long.parseUnsignedLong(spanId, 16);
  }

  static Document toDocument(Span span) {
    Document doc = new Document();
    doc.add(new NumericDocValuesField(SPAN_ID, spanIdBits(span.spanId())));
    doc.add(new StringField(TRACE_ID, span.traceId(), Field.Store.YES));
    doc.add(new StringField(SERVICE, span.serviceName(), Field.Store.NO));
    doc.add(new SortedDocValuesField(SERVICE, new BytesRef(span.serviceName())));
    doc.add(new StringField(NAME, span.name(), Field.Store.NO));
    doc.add(new SortedDocValuesField(NAME, new BytesRef(span.name())));
    doc.add(new StringField(SERVICE_NAME, span.serviceName() + SEPARATOR + span.name(),
        Field.Store.NO));
    doc.add(new StringField(KIND, span.kind().name(), Field.Store.NO));
    doc.add(new StringField(STATUS, span.statusCode().name(), Field.Store.NO));
    doc.add(new NumericDocValuesField(STATUS, span.statusCode() == StatusCode.ERROR ? 1 : 0));
    doc.add(new NumericDocValuesField(ROOT, span.isRoot() ? 1 : 0));
    doc.add(new LongPoint(START, span.startTimeUnixNano()));
    doc.add(new NumericDocValuesField(START, span.startTimeUnixNano()));
    long duration = Math.max(0, span.durationNanos());
    doc.add(new LongPoint(DURATION, duration));
    doc.add(new NumericDocValuesField(DURATION, duration));
    AttributeFields.add(doc, span.resourceAttributes());
    AttributeFields.add(doc, span.attributes());
    return doc;
  }
}
