package dev.sextant.cluster;

import dev.sextant.cluster.internal.LogWire;
import dev.sextant.cluster.internal.MetadataWire;
import dev.sextant.cluster.internal.RecordFormat;
import dev.sextant.cluster.internal.SeriesWire;
import dev.sextant.cluster.internal.SpanWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultKafkaSink implements KafkaSink {
  private static final Logger log = LoggerFactory.getLogger(DefaultKafkaSink.class);
  static final Set<String> FIXED = Set.of(ProducerConfig.ACKS_CONFIG,
      ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
      ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
  private static final int LINGER_MS = 5;

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaSinkBuilder config;
  private volatile boolean closed;
  private final RecentMetadata recentMetadata = new RecentMetadata();

  DefaultKafkaSink(KafkaSinkBuilder b) {
    this.config = b;
    Map<String, Object> p = new TreeMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, b.clientId);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 << 10);
    long delivery = b.deliveryTimeout.toMillis();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery);
    // delivery.timeout.ms must be >= linger.ms + request.timeout.ms (the producer checks).
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) (delivery - LINGER_MS));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, b.maxBlock.toMillis());
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, b.bufferBytes);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Math.max(1 << 20, b.maxRecordBytes * 2));
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    p.putAll(b.overrides);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(p);
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spans -> send(ClusterTopics.SPANS, spans, (s, w) -> {
      Ids.checkTraceId("traceId", s.traceId());
      Ids.checkSpanId("spanId", s.spanId());
      SpanWire.encode(s, w);
    }, (s, bytes) -> Partitioning.traceKey(s.traceId()), null);
  }

  @Override
  public LogConsumer logConsumer() {
    // A log record's IDs are optional, but a present one must be valid, as for spans: an invalid
    // one would otherwise reach the stores, which refuse the record there (skipped, after the
    // collector acknowledged it) instead of the client hearing 400 now.
    return records -> send(ClusterTopics.LOGS, records, (r, w) -> {
      if (!r.traceId().isEmpty()) {
        Ids.checkTraceId("traceId", r.traceId());
      }
      if (!r.spanId().isEmpty()) {
        Ids.checkSpanId("spanId", r.spanId());
      }
      LogWire.encode(r, w);
    }, DefaultKafkaSink::logKey, null);
  }

  /**
   * A log record with a trace ID goes with its trace; one without is keyed by its own encoded
   * bytes: spread evenly, and the same record sent again (a client's retry) lands in the same
   * partition, where a store could recognise it.
   */
  private static byte[] logKey(LogRecord r, byte[] encoded) {
    return r.traceId().isEmpty() ? encoded : Partitioning.traceKey(r.traceId());
  }

  @Override
  public MetricWriter metricWriter() {
    return new MetricWriter() {
      @Override
      public CompletableFuture<Void> write(List<TimeSeries> series) {
        return send(ClusterTopics.METRICS, series, SeriesWire::encode,
            (TimeSeries s, byte[] bytes) -> Partitioning.seriesKey(s.labels()), null);
      }

      @Override
      public void writeMetadata(List<MetricMetadata> metadata) {
        produceMetadata(metadata);
      }
    };
  }

  /**
   * Metadata is advisory (as in the single node): produced without blocking the caller, only
   * when new, changed or not sent for {@link RecentMetadata#REFRESH} (a store that rebuilt its
   * partitions or restarted gets it back), and a failure is logged and sent again next time.
   */
  private void produceMetadata(List<MetricMetadata> metadata) {
    String tenant = config.tenant.get();
    List<MetricMetadata> due = recentMetadata.due(tenant, metadata, System.nanoTime());
    if (due.isEmpty()) {
      return;
    }
    send(ClusterTopics.METRICS, due, MetadataWire::encode,
        (MetricMetadata m, byte[] bytes) -> m.metric().getBytes(StandardCharsets.UTF_8),
        RecordFormat.METADATA_ITEMS).whenComplete((ok, e) -> {
          if (e != null) {
            recentMetadata.forget(tenant, due);
            log.debug("metric metadata not produced (sent again next time): {}", e.toString());
          }
        });
  }

  /** Encodes, groups by partition, packs into records, sends; completes once all are acked. */
  private <T> CompletableFuture<Void> send(String topic, List<T> items,
      BiConsumer<T, WireWriter> encoder, KeyFunction<T> key, @Nullable String itemsHeader) {
    try {
      if (closed) {
        throw new StorageException("the Kafka sink is closed");
      }
      if (items.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      String tenant = config.tenant.get();
      // Encode (and validate) first: bad input is refused as such whatever Kafka's state.
      List<byte[]> encoded = new ArrayList<>(items.size());
      List<byte[]> keys = new ArrayList<>(items.size());
      WireWriter w = new WireWriter(1024);
      for (T item : items) {
        w.reset();
        encoder.accept(item, w);
        byte[] bytes = w.toByteArray();
        encoded.add(bytes);
        keys.add(key.apply(item, bytes));
      }
      int partitions = producer.partitionsFor(topic).size();
      Map<Integer, List<byte[]>> byPartition = new TreeMap<>();
      for (int i = 0; i < encoded.size(); i++) {
        int p = Partitioning.partition(keys.get(i), partitions);
        byPartition.computeIfAbsent(p, unused -> new ArrayList<>()).add(encoded.get(i));
      }
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (Map.Entry<Integer, List<byte[]>> e : byPartition.entrySet()) {
        for (byte[] value : RecordFormat.pack(e.getValue(), config.maxRecordBytes)) {
          acks.add(sendRecord(topic, e.getKey(), tenant, value, itemsHeader));
        }
      }
      return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(refusal(topic, e));
    }
  }

  private CompletableFuture<Void> sendRecord(String topic, int partition, String tenant,
      byte[] value, @Nullable String itemsHeader) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(RecordFormat.TENANT_HEADER, RecordFormat.tenantHeader(tenant));
    headers.add(RecordFormat.FORMAT_HEADER, RecordFormat.versionHeader());
    if (itemsHeader != null) {
      headers.add(RecordFormat.ITEMS_HEADER, itemsHeader.getBytes(StandardCharsets.UTF_8));
    }
    CompletableFuture<Void> ack = new CompletableFuture<>();
    producer.send(new ProducerRecord<byte[], byte[]>(topic, partition, (byte[]) null, value,
        headers), (md, e) -> {
      if (e == null) {
        ack.complete(null);
      } else {
        ack.completeExceptionally(refusal(topic, e));
      }
    });
    return ack;
  }

  private Throwable refusal(String topic, Throwable e) {
    if (e instanceof IllegalArgumentException || e instanceof StorageException) {
      return e;
    }
    if (e instanceof RecordTooLargeException) {
      return new IllegalArgumentException("an item is too large for a Kafka record of " + topic
          + " (" + e.getMessage() + ")", e);
    }
    if (closed || e instanceof IllegalStateException) {
      return new StorageException("the Kafka sink is closed", e);
    }
    return new KafkaUnavailableException("Kafka did not acknowledge the write to " + topic
        + " within " + config.deliveryTimeout.toMillis() + " ms (" + e.getClass().getSimpleName()
        + ": " + e.getMessage() + ")", e);
  }

  @Override
  public void close() {
    closed = true;
    producer.close(config.deliveryTimeout);
  }

  @FunctionalInterface
  private interface KeyFunction<T> {
    byte[] apply(T item, byte[] encoded);
  }
}
