package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

/**
 * One span's Lucene document, refilled for every span by one indexing thread: the fields, their
 * values and term bytes are reused, so indexing a span allocates next to nothing. Not thread-safe;
 * {@code IndexWriter.addDocument} consumes it before the next {@link #fill}.
 */
final class SpanDocument implements Iterable<IndexableField> {
  private static final FieldType KEYWORD = keyword(false);
  private static final FieldType STORED_KEYWORD = keyword(true);

  private final byte[] traceId = new byte[16];
  private final Field traceIdField = new Field(SpanDocuments.TRACE_ID,
      new BytesRef(traceId), STORED_KEYWORD);
  private final LongPoint startPoint = new LongPoint(SpanDocuments.START_SECONDS, 0);
  private final NumericDocValuesField start = new NumericDocValuesField(SpanDocuments.START, 0);
  private final NumericDocValuesField duration =
      new NumericDocValuesField(SpanDocuments.DURATION, 0);
  private final NumericDocValuesField flags = new NumericDocValuesField(SpanDocuments.FLAGS, 0);
  private final TermBuilder serviceName = new TermBuilder();
  private final BytesRef serviceNameValue = new BytesRef();
  private final SortedDocValuesField serviceNameDocValue =
      new SortedDocValuesField(SpanDocuments.SERVICE_NAME, serviceNameValue);
  private final Field serviceNameTerm =
      new Field(SpanDocuments.TAGS, serviceName.bytesRef(), KEYWORD);
  private final List<TermBuilder> tags = new ArrayList<>();
  private final List<Field> tagFields = new ArrayList<>();
  private final List<IndexableField> fields = new ArrayList<>();
  private int usedTags;

  private static FieldType keyword(boolean stored) {
    FieldType t = new FieldType();
    t.setTokenized(false);
    t.setOmitNorms(true);
    t.setIndexOptions(IndexOptions.DOCS);
    t.setStored(stored);
    t.freeze();
    return t;
  }

  /** Refills this document with {@code span}'s fields; its IDs must be valid. */
  SpanDocument fill(Span span) {
    fields.clear();
    usedTags = 0;
    if (!Ids.decodeValidId(span.traceId(), 16, traceId, 0)) {
      throw new IllegalArgumentException("span " + span.traceId() + ": invalid trace ID");
    }
    fields.add(traceIdField);
    startPoint.setLongValue(SpanDocuments.seconds(span.startTimeUnixNano()));
    fields.add(startPoint);
    start.setLongValue(span.startTimeUnixNano());
    fields.add(start);
    duration.setLongValue(Math.max(0, span.durationNanos()));
    fields.add(duration);
    flags.setLongValue(SpanDocuments.flags(span));
    fields.add(flags);
    serviceName.start(SpanDocuments.SERVICE_NAME_TAG).append(span.serviceName())
        .appendByte((byte) SpanDocuments.SEPARATOR).append(span.name()).clamp();
    BytesRef sn = serviceName.bytesRef();
    serviceNameValue.bytes = sn.bytes;
    serviceNameValue.offset = 1;
    serviceNameValue.length = sn.length - 1;
    fields.add(serviceNameDocValue);
    fields.add(serviceNameTerm);
    if (span.statusCode() == StatusCode.ERROR) {
      next().start(SpanDocuments.ERROR_TAG);
    }
    SpanDocuments.attributes(span.resourceAttributes(), this);
    SpanDocuments.attributes(span.attributes(), this);
    return this;
  }

  void attribute(String key, String value) {
    next().attribute(key, value);
  }

  /** The next unused tag term, its field added to the document. */
  private TermBuilder next() {
    if (usedTags == tags.size()) {
      TermBuilder b = new TermBuilder();
      tags.add(b);
      tagFields.add(new Field(SpanDocuments.TAGS, b.bytesRef(), KEYWORD));
    }
    fields.add(tagFields.get(usedTags));
    return tags.get(usedTags++);
  }

  @Override
  public Iterator<IndexableField> iterator() {
    return fields.iterator();
  }
}
