package dev.sextant.cluster.internal;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bodies of the store's internal read API (docs/cluster-reads.md), version
 * {@value #VERSION}: each request and response body is this version byte, then the fields of the
 * call in the primitives of the record format. Spans, log records and series are in their record
 * codecs ({@link SpanWire}, {@link LogWire}, {@link SeriesWire}), each length-prefixed. A
 * decoder checks the version and every count, and fails with {@link CorruptRecordException}.
 */
public final class ReadWire {
  public static final int VERSION = 1;
  private static final TraceQuery.Order[] ORDERS = TraceQuery.Order.values();
  private static final LabelMatcher.Type[] MATCHERS = LabelMatcher.Type.values();

  private ReadWire() {}

  /** A writer with the version byte written. */
  public static WireWriter writer() {
    WireWriter w = new WireWriter(256);
    w.writeByte(VERSION);
    return w;
  }

  /** A reader past the version byte, which must be {@value #VERSION}. */
  public static WireReader reader(byte[] body) {
    WireReader r = new WireReader(body);
    int v = r.readByte();
    if (v != VERSION) {
      throw new CorruptRecordException("read API version " + v + " (expected: " + VERSION + ")");
    }
    return r;
  }

  public static void writeStrings(WireWriter w, Collection<String> strings) {
    w.writeVarInt(strings.size());
    for (String s : strings) {
      w.writeString(s);
    }
  }

  public static List<String> readStrings(WireReader r) {
    int n = r.readCount(1);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.readString());
    }
    return out;
  }

  private static void writeStringMap(WireWriter w, Map<String, String> map) {
    w.writeVarInt(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      w.writeString(e.getKey());
      w.writeString(e.getValue());
    }
  }

  private static Map<String, String> readStringMap(WireReader r) {
    int n = r.readCount(2);
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      out.put(r.readString(), r.readString());
    }
    return out;
  }

  public static void writeTraceQuery(WireWriter w, TraceQuery q) {
    w.writeString(q.serviceName());
    w.writeString(q.spanName());
    writeStringMap(w, q.attributes());
    w.writeVarLong(q.minDurationNanos());
    w.writeVarLong(q.maxDurationNanos());
    w.writeByte(q.errorsOnly() ? 1 : 0);
    w.writeFixed64(q.fromUnixNano());
    w.writeFixed64(q.toUnixNano());
    w.writeVarInt(q.limit());
    w.writeByte(q.order().ordinal());
  }

  /** The query; its constructor's {@link IllegalArgumentException} when a field is out of range. */
  public static TraceQuery readTraceQuery(WireReader r) {
    return new TraceQuery(r.readString(), r.readString(), readStringMap(r), r.readVarLong(),
        r.readVarLong(), r.readByte() != 0, r.readFixed64(), r.readFixed64(), r.readVarInt(),
        ORDERS[SpanWire.index(r.readByte(), ORDERS.length, "order")]);
  }

  public static void writeSummaries(WireWriter w, List<TraceSummary> summaries) {
    w.writeVarInt(summaries.size());
    for (TraceSummary s : summaries) {
      w.writeString(s.traceId());
      w.writeString(s.rootServiceName());
      w.writeString(s.rootSpanName());
      w.writeFixed64(s.startUnixNano());
      w.writeZigZag(s.durationNanos());
      w.writeVarInt(s.spanCount());
      w.writeVarInt(s.errorCount());
      writeStrings(w, s.services());
    }
  }

  public static List<TraceSummary> readSummaries(WireReader r) {
    int n = r.readCount(16);
    List<TraceSummary> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new TraceSummary(r.readString(), r.readString(), r.readString(), r.readFixed64(),
          r.readZigZag(), r.readVarInt(), r.readVarInt(), readStrings(r)));
    }
    return out;
  }

  public static void writeSpans(WireWriter w, List<Span> spans) {
    w.writeVarInt(spans.size());
    WireWriter item = new WireWriter(512);
    for (Span s : spans) {
      item.reset();
      SpanWire.encode(s, item);
      w.writeBytes(item.toByteArray());
    }
  }

  public static List<Span> readSpans(WireReader r) {
    int n = r.readCount(8);
    List<Span> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(SpanWire.decode(r.readNested()));
    }
    return out;
  }

  public static void writeLogQuery(WireWriter w, LogQuery q) {
    w.writeString(q.text());
    w.writeByte(q.minSeverity());
    w.writeString(q.serviceName());
    w.writeString(q.traceId());
    w.writeString(q.spanId());
    w.writeString(q.correlationId());
    writeStringMap(w, q.attributes());
    w.writeFixed64(q.fromUnixNano());
    w.writeFixed64(q.toUnixNano());
    w.writeVarInt(q.limit());
    w.writeString(q.cursor());
  }

  /** The query; its constructor's {@link IllegalArgumentException} when a field is out of range. */
  public static LogQuery readLogQuery(WireReader r) {
    return new LogQuery(r.readString(), r.readByte(), r.readString(), r.readString(),
        r.readString(), r.readString(), readStringMap(r), r.readFixed64(), r.readFixed64(),
        r.readVarInt(), r.readString());
  }

  public static void writeLogPage(WireWriter w, LogPage page) {
    w.writeVarInt(page.records().size());
    WireWriter item = new WireWriter(256);
    for (LogRecord l : page.records()) {
      item.reset();
      LogWire.encode(l, item);
      w.writeBytes(item.toByteArray());
    }
    w.writeString(page.nextCursor());
  }

  public static LogPage readLogPage(WireReader r) {
    int n = r.readCount(8);
    List<LogRecord> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(LogWire.decode(r.readNested()));
    }
    return new LogPage(records, r.readString());
  }

  public static void writeMatchers(WireWriter w, List<LabelMatcher> matchers) {
    w.writeVarInt(matchers.size());
    for (LabelMatcher m : matchers) {
      w.writeByte(m.type().ordinal());
      w.writeString(m.name());
      w.writeString(m.value());
    }
  }

  /** The matchers; {@link IllegalArgumentException} for a regex that is not RE2. */
  public static List<LabelMatcher> readMatchers(WireReader r) {
    int n = r.readCount(3);
    List<LabelMatcher> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LabelMatcher.Type type = MATCHERS[SpanWire.index(r.readByte(), MATCHERS.length, "matcher")];
      out.add(LabelMatcher.of(type, r.readString(), r.readString()));
    }
    return out;
  }

  /** Each series as its labels and every selected sample, in {@link SeriesWire}'s codec. */
  public static void writeSeries(WireWriter w, List<Series> series) {
    w.writeVarInt(series.size());
    WireWriter item = new WireWriter(256);
    for (Series s : series) {
      int n = 0;
      SampleIterator it = s.samples();
      while (it.next()) {
        n++;
      }
      long[] ts = new long[n];
      double[] vs = new double[n];
      it = s.samples();
      for (int i = 0; i < n && it.next(); i++) {
        ts[i] = it.timestamp();
        vs[i] = it.value();
      }
      item.reset();
      SeriesWire.encode(new TimeSeries(s.labels(), ts, vs), item);
      w.writeBytes(item.toByteArray());
    }
  }

  public static List<TimeSeries> readSeries(WireReader r) {
    int n = r.readCount(2);
    List<TimeSeries> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(SeriesWire.decode(r.readNested()));
    }
    return out;
  }

  public static void writeMetadata(WireWriter w, Map<String, List<MetricMetadata>> metadata) {
    w.writeVarInt(metadata.size());
    for (Map.Entry<String, List<MetricMetadata>> e : metadata.entrySet()) {
      w.writeString(e.getKey());
      w.writeVarInt(e.getValue().size());
      for (MetricMetadata m : e.getValue()) {
        MetadataWire.encode(m, w);
      }
    }
  }

  /** Metadata per metric name, sorted by name, each list in the order written. */
  public static Map<String, List<MetricMetadata>> readMetadata(WireReader r) {
    int n = r.readCount(2);
    Map<String, List<MetricMetadata>> out = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String name = r.readString();
      int k = r.readCount(4);
      List<MetricMetadata> list = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        list.add(MetadataWire.decode(r));
      }
      out.put(name, list);
    }
    return out;
  }
}
