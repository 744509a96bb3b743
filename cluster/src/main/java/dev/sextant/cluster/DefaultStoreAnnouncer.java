package dev.sextant.cluster;

import dev.sextant.cluster.internal.StoreWire;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultStoreAnnouncer implements StoreAnnouncer {
  private static final Logger log = LoggerFactory.getLogger(DefaultStoreAnnouncer.class);
  /** How often the member id is looked at: a rejoin is announced within this. */
  private static final long TICK_MILLIS = 500;

  private final StoreAnnouncerBuilder b;
  private final byte[] key;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ScheduledExecutorService timer;
  private final AtomicLong acknowledged = new AtomicLong();
  private final long startedAt = System.currentTimeMillis();
  /** Set by a failed send's callback: the next tick announces again. */
  private volatile boolean failed;
  // Timer thread only:
  private @Nullable String announcedId;
  private long announcedAt;
  private boolean everAnnounced;
  private boolean started;

  DefaultStoreAnnouncer(StoreAnnouncerBuilder b) {
    this.b = b;
    this.key = StoreWire.key(b.storeGroup, b.name);
    Map<String, Object> p = new HashMap<>(b.overrides);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sextant-announcer-" + b.name);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    this.producer = new KafkaProducer<>(p);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sextant-store-announcer-" + b.name);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    timer.scheduleWithFixedDelay(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      String id = b.memberId.get();
      if (id == null) {
        return; // out of the group: directories stop trusting the last announcement themselves
      }
      long now = System.currentTimeMillis();
      if (failed) {
        failed = false;
        announcedId = null;
      }
      if (id.equals(announcedId) && now - announcedAt < b.interval.toMillis()) {
        return;
      }
      byte[] value = StoreWire.encode(new StoreWire.Announcement(b.url.toString(), b.storeGroup,
          id, b.instanceId, startedAt, now));
      announcedId = id;
      announcedAt = now;
      everAnnounced = true;
      producer.send(new ProducerRecord<>(b.topic, key, value), (md, e) -> {
        if (e == null) {
          acknowledged.incrementAndGet();
        } else {
          log.warn("announcing store {} on {} failed, will retry: {}", b.name, b.topic,
              e.toString());
          failed = true; // announce again at the next tick
        }
      });
    } catch (RuntimeException e) {
      announcedId = null;
      log.warn("announcing store {} on {} failed, will retry: {}", b.name, b.topic,
          e.toString());
    }
  }

  @Override
  public long announcements() {
    return acknowledged.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (timer.isShutdown()) {
        return;
      }
      timer.shutdown();
    }
    try {
      if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
      if (everAnnounced) {
        producer.send(new ProducerRecord<>(b.topic, key, null)).get(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("store {}: writing its tombstone on {} failed (directories drop it when it leaves "
          + "its group): {}", b.name, b.topic, e.toString());
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
