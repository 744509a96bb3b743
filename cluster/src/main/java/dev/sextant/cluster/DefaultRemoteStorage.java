package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.Pins;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * {@link RemoteStorage}: traces and trace search here, logs, metrics and pins in their own
 * classes.
 */
final class DefaultRemoteStorage implements RemoteStorage, TraceReader, SpanSearch {
  private static final String READ_ONLY = "RemoteStorage is read-only: the query role reads the"
      + " stores; data is written through Kafka by the collector role";

  private final StoreClients clients;
  private final String tenant;
  private final LogReader logs;
  private final MetricReader metrics;

  DefaultRemoteStorage(StoreClients clients, String tenant) {
    this.clients = clients;
    this.tenant = tenant;
    this.logs = new RemoteLogReader(clients, tenant);
    this.metrics = new RemoteMetricReader(clients, tenant);
  }

  @Override
  public String tenant() {
    return tenant;
  }

  @Override
  public RemoteStorage forTenant(String tenant) {
    requireNonNull(tenant, "tenant");
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("tenant: empty (expected: a tenant name)");
    }
    return new DefaultRemoteStorage(clients, tenant);
  }

  @Override
  public List<Span> getTrace(String traceId) {
    return readTrace(traceId, 0);
  }

  @Override
  public List<Span> getTrace(String traceId, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    return readTrace(traceId, limit);
  }

  private List<Span> readTrace(String traceId, int limit) {
    clients.checkOpen();
    if (traceId.length() != 32 || !traceId.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new IllegalArgumentException("traceId: " + traceId + " (expected: 32 hex characters)");
    }
    if (!Ids.isValidTraceId(traceId)) {
      return List.of(); // the all-zero ID, which no stored span can have
    }
    WireWriter w = ReadWire.writer();
    w.writeString(traceId);
    w.writeVarInt(limit);
    byte[] body = w.toByteArray();
    List<URI> owners = clients.ownership().owners(traceId, tenant);
    List<List<Span>> answers = List.of();
    if (!owners.isEmpty()) {
      // Quietly: when no owner answers, every store is asked, and the failures reported then.
      answers = new ArrayList<>(clients.call(owners, "trace", tenant, body, ReadWire::readSpans)
          .results().values());
    }
    if (answers.isEmpty()) {
      answers = clients.fanOut(clients.stores(), "trace", tenant, body, ReadWire::readSpans);
    }
    Map<String, Span> bySpanId = new LinkedHashMap<>();
    for (List<Span> spans : answers) {
      for (Span s : spans) {
        bySpanId.putIfAbsent(s.spanId(), s);
      }
    }
    List<Span> out = new ArrayList<>(bySpanId.values());
    return limit > 0 && out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  @Override
  public List<TraceSummary> search(TraceQuery query) {
    WireWriter w = ReadWire.writer();
    ReadWire.writeTraceQuery(w, query);
    Map<String, TraceSummary> byTrace = new LinkedHashMap<>();
    for (List<TraceSummary> found : clients.fanOut(clients.stores(), "search", tenant,
        w.toByteArray(), ReadWire::readSummaries)) {
      for (TraceSummary s : found) {
        // A trace lives in one partition; two stores have it while a partition moves or with a
        // second replica, and the one that has more of it wins.
        byTrace.merge(s.traceId(), s, (a, b) -> b.spanCount() > a.spanCount() ? b : a);
      }
    }
    Comparator<TraceSummary> order = query.order() == TraceQuery.Order.DURATION_DESC
        ? Comparator.comparingLong(TraceSummary::durationNanos)
        : Comparator.comparingLong(TraceSummary::startUnixNano);
    List<TraceSummary> out = new ArrayList<>(byTrace.values());
    out.sort(order.reversed().thenComparing(TraceSummary::traceId));
    return out.size() > query.limit() ? List.copyOf(out.subList(0, query.limit())) : out;
  }

  @Override
  public List<String> services() {
    return union("services", ReadWire.writer());
  }

  @Override
  public List<String> spanNames(String serviceName) {
    WireWriter w = ReadWire.writer();
    w.writeString(serviceName);
    return union("span-names", w);
  }

  private List<String> union(String call, WireWriter body) {
    TreeSet<String> out = new TreeSet<>();
    clients.fanOut(clients.stores(), call, tenant, body.toByteArray(), ReadWire::readStrings)
        .forEach(out::addAll);
    return new ArrayList<>(out);
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spans -> CompletableFuture.failedFuture(new UnsupportedOperationException(READ_ONLY));
  }

  @Override
  public TraceReader traceReader() {
    return this;
  }

  @Override
  public SpanSearch spanSearch() {
    return this;
  }

  @Override
  public LogConsumer logConsumer() {
    return records -> CompletableFuture.failedFuture(new UnsupportedOperationException(READ_ONLY));
  }

  @Override
  public LogReader logReader() {
    return logs;
  }

  @Override
  public MetricWriter metricWriter() {
    return new MetricWriter() {
      @Override
      public CompletableFuture<Void> write(List<TimeSeries> series) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(READ_ONLY));
      }

      @Override
      public void writeMetadata(List<MetricMetadata> metadata) {
        throw new UnsupportedOperationException(READ_ONLY);
      }
    };
  }

  @Override
  public MetricReader metricReader() {
    return metrics;
  }

  /** The stores' pinned sets as one, for this tenant ({@link RemotePins}). */
  @Override
  public Pins pins() {
    return new RemotePins(clients, tenant);
  }

  /** Fails unless at least one store lists its partitions. */
  @Override
  public void check() {
    clients.fanOut(clients.stores(), "partitions", tenant, new byte[0], r -> Boolean.TRUE);
  }

  @Override
  public void close() {
    clients.close();
  }
}
