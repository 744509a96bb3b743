package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.internal.index.AttributeFields;
import dev.sextant.storage.internal.index.IndexTerms;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.lucene.util.BytesRef;

/**
 * The span index's schema: one Lucene document per span, written by a reused {@link SpanDocument}.
 *
 * <p>Every keyword a search filters on is a term of the one field {@link #TAGS}, told apart by a
 * leading byte ({@link #SERVICE_NAME_TAG}, {@link #ATTRIBUTE_TAG}, ...): one inverted field per document
 * costs far less to index than a field per attribute key, and the terms dictionary stays one.
 * Summaries read doc values only: {@link #START}, {@link #DURATION}, {@link #FLAGS} and
 * {@link #SERVICE_NAME}.
 */
final class SpanDocuments {
  /**
   * The trace ID's 16 bytes: an indexed term (a trace's documents) and a stored field (the trace
   * of a hit). Spans carry no full span ID here: a re-sent or re-indexed span gets a second
   * document (a unique term per span to replace it by would double the index size), and summaries
   * count spans of one trace with the same start, duration, name and span ID's low 16 bits once.
   */
  static final String TRACE_ID = "trace_id";
  /** The keyword terms: service, span name, service + span name, error, attributes. */
  static final String TAGS = "tags";
  /**
   * Term {@code 'o' + service + '\0' + name}, the only service and name term of a span (a term
   * less per span for each): a service is a term prefix, a span name alone a look-up of the
   * few distinct service + name terms, and the services and span names are listed from them.
   */
  static final byte SERVICE_NAME_TAG = 'o';
  /** Term {@code "e"}, on error spans only. */
  static final byte ERROR_TAG = 'e';
  /**
   * Term {@code 'a' + varint(UTF-8 length of key) + key + value}: the length prefix keeps
   * {@code key=value} unambiguous whatever characters the key holds.
   */
  static final byte ATTRIBUTE_TAG = 'a';
  static final char SEPARATOR = '\0';
  /** Sorted doc values {@code service + '\0' + name}: summaries' root service and span name. */
  static final String SERVICE_NAME = "service_name";
  /**
   * Numeric doc values: bit 0 error, bit 1 root, bits 2-17 the span ID's low 16 bits. The span
   * ID bits only tell summaries when two documents may be one span indexed twice; a false alarm
   * costs a read of the stored spans (fewer bits would make that common for spans sharing start,
   * duration and name).
   */
  static final String FLAGS = "flags";
  static final long ERROR_BIT = 1;
  static final long ROOT_BIT = 2;
  static final int SPAN_ID_LOW_SHIFT = 2;
  /** Numeric doc values of the start (unix nanos): exact time filter, sort, summaries. */
  static final String START = "start";
  /**
   * A point of the start in whole seconds: the index side of a time filter, which the doc values
   * of {@link #START} then make exact. Seconds cost a fraction of nanos in the points' leaves.
   */
  static final String START_SECONDS = "start_s";
  /**
   * Doc values only: a duration bound filters what the other criteria matched (points would cost
   * some 4 bytes per span for queries on duration alone).
   */
  static final String DURATION = "duration";
  /**
   * Longer attribute values (stack traces, SQL) are not worth an exact-match term and could exceed
   * Lucene's 32 KiB term limit; they stay in the stored span, unsearchable by attribute.
   */
  static final int MAX_VALUE_CHARS = AttributeFields.MAX_VALUE_CHARS;

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

  /** The flags doc value of a span. */
  static long flags(Span span) {
    String id = span.spanId();
    long low = Integer.parseInt(id, id.length() - 4, id.length(), 16);
    return (low << SPAN_ID_LOW_SHIFT) | (span.isRoot() ? ROOT_BIT : 0)
        | (span.statusCode() == StatusCode.ERROR ? ERROR_BIT : 0);
  }

  /** Whole seconds of a unix-nanos instant, rounded down. */
  static long seconds(long unixNano) {
    return Math.floorDiv(unixNano, 1_000_000_000L);
  }

  /** The {@link #SERVICE_NAME_TAG} term, or its prefix for every span name when name is null. */
  static BytesRef serviceNameTerm(String service, String name) {
    return tag(SERVICE_NAME_TAG, name == null ? service + SEPARATOR
        : service + SEPARATOR + name);
  }

  /** A term of {@link #TAGS}: {@code tag} followed by the UTF-8 of {@code text}. */
  static BytesRef tag(byte tag, String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[utf8.length + 1];
    b[0] = tag;
    System.arraycopy(utf8, 0, b, 1, utf8.length);
    // Cut as indexing cuts (TermBuilder.clamp), so a search for a too-long value still matches.
    return new BytesRef(b, 0, b.length > IndexTerms.MAX_BYTES
        ? IndexTerms.cut(b, 0, IndexTerms.MAX_BYTES) : b.length);
  }

  /** The term a {@code key=value} attribute filter looks up. */
  static BytesRef attributeTerm(String key, String value) {
    TermBuilder b = new TermBuilder();
    b.attribute(key, value);
    return b.toBytesRef();
  }

  /** The attribute terms of {@code attributes}, appended through {@code out}. */
  static void attributes(Map<String, Object> attributes, SpanDocument out) {
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      String text = AttributeFields.text(e.getValue());
      if (text != null) {
        out.attribute(e.getKey(), text);
      }
    }
  }
}
