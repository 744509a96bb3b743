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
   * The trace ID's 16 bytes: an indexed term (a trace's documents) and a stored field (the trace
   * of a hit). Spans carry no full span ID here: a re-sent or re-indexed span gets a second
   * document (a unique term per span to replace it by would double the index size), and summaries
   * count spans of one trace with the same start, duration, name and {@link #SPAN_ID_LOW} once.
   */
  static final String TRACE_ID = "trace_id";
  /**
   * Doc values: the low 16 bits of the span ID, 2 bytes instead of 8, enough to tell apart spans
   * that share start, duration and name (batch jobs, coarse clocks).
   */
  static final String SPAN_ID_LOW = "span_id16";
  static final String SERVICE = "service";
  static final String NAME = "name";
  /** {@code service + '\0' + name}: span names of a service are a term prefix scan. */
  static final String SERVICE_NAME = "service_name";
  static final char SEPARATOR = '\0';
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

  /** The indexed and stored form of a trace ID. */
  static BytesRef traceIdTerm(String traceId) {
    return new BytesRef(Ids.fromHex(traceId));
  }

  static Document toDocument(Span span) {
    Document doc = new Document();
    doc.add(new StringField(TRACE_ID, traceIdTerm(span.traceId()), Field.Store.YES));
    doc.add(new NumericDocValuesField(SPAN_ID_LOW,
        Integer.parseInt(span.spanId(), span.spanId().length() - 4, span.spanId().length(), 16)));
    doc.add(new StringField(SERVICE, span.serviceName(), Field.Store.NO));
    doc.add(new SortedDocValuesField(SERVICE, new BytesRef(span.serviceName())));
    doc.add(new StringField(NAME, span.name(), Field.Store.NO));
    doc.add(new SortedDocValuesField(NAME, new BytesRef(span.name())));
    doc.add(new StringField(SERVICE_NAME, span.serviceName() + SEPARATOR + span.name(),
        Field.Store.NO));
    doc.add(new StringField(STATUS, span.statusCode().name(), Field.Store.NO));
    doc.add(new NumericDocValuesField(STATUS, span.statusCode() == StatusCode.ERROR ? 1 : 0));
    doc.add(new NumericDocValuesField(ROOT, span.isRoot() ? 1 : 0));
    doc.add(new LongPoint(START, span.startTimeUnixNano()));
    doc.add(new NumericDocValuesField(START, span.startTimeUnixNano()));
    long duration = Math.max(0, span.durationNanos());
    // Doc values only: a duration bound filters what the other criteria matched (points
    // would cost some 4 bytes per span for queries on duration alone).
    doc.add(new NumericDocValuesField(DURATION, duration));
    AttributeFields.add(doc, span.resourceAttributes());
    AttributeFields.add(doc, span.attributes());
    return doc;
  }
}
