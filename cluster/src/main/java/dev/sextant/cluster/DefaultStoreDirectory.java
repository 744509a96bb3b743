package dev.sextant.cluster;

import dev.sextant.cluster.internal.CorruptRecordException;
import dev.sextant.cluster.internal.StoreWire;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class DefaultStoreDirectory implements StoreDirectory {
  private static final Logger log = LoggerFactory.getLogger(DefaultStoreDirectory.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final StoreDirectoryBuilder b;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final AtomicLong skipped = new AtomicLong();
  private volatile boolean running = true;
  private volatile List<DiscoveredStore> stores = List.of();
  private volatile int announced;
  // Directory thread only:
  /** The latest announcement per record key. */
  private final Map<String, StoreWire.Announcement> entries = new HashMap<>();
  /** Per group, the member ids in it at the last check that answered. */
  private final Map<String, Set<String>> members = new HashMap<>();
  private long refreshedAt;
  private boolean refreshSoon = true;
  private boolean started;
  private boolean failing;

  DefaultStoreDirectory(StoreDirectoryBuilder b) {
    this.b = b;
    Map<String, Object> c = new HashMap<>(b.overrides);
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, b.clientId);
    c.remove(ConsumerConfig.GROUP_ID_CONFIG); // no group: every partition assigned, no commits
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A missing topic is waited for, never created by a read with the broker's defaults (which
    // would not compact it).
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(c);
    Map<String, Object> a = new HashMap<>(b.overrides);
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    a.put(AdminClientConfig.CLIENT_ID_CONFIG, b.clientId + "-admin");
    a.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    a.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    Admin created;
    try {
      created = Admin.create(a);
    } catch (RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
    this.admin = created;
    this.thread = new Thread(this::run, "sextant-store-directory");
    thread.setDaemon(true);
  }

  @Override
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    thread.start();
  }

  private void run() {
    try {
      boolean assigned = false;
      while (running) {
        if (!assigned) {
          assigned = assign();
          if (!assigned) {
            stopping.await(b.refreshInterval.toMillis(), TimeUnit.MILLISECONDS);
            continue;
          }
        }
        boolean changed = false;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          changed |= apply(r);
        }
        long now = System.nanoTime();
        if (refreshSoon || now - refreshedAt >= b.refreshInterval.toNanos()) {
          refreshSoon = false;
          refreshedAt = now;
          refreshMembers();
          changed = true;
        }
        if (changed) {
          publish();
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("store directory stopped; the stores last found stay listed", e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        log.debug("closing the directory's consumer failed: {}", e.toString());
      }
    }
  }

  /** Assigns every partition of the topic from its beginning; false while it does not exist. */
  private boolean assign() {
    List<PartitionInfo> parts;
    try {
      parts = consumer.partitionsFor(b.topic, Duration.ofSeconds(5));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      warnOnce("listing the partitions of " + b.topic + " failed: " + e);
      return false;
    }
    if (parts == null || parts.isEmpty()) {
      warnOnce("topic " + b.topic + " does not exist yet (a store or collector creates it when "
          + "cluster.topics.create is on); no store found until it does");
      return false;
    }
    List<TopicPartition> tps = new ArrayList<>();
    for (PartitionInfo p : parts) {
      tps.add(new TopicPartition(p.topic(), p.partition()));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    failing = false;
    return true;
  }

  /** Applies one record; true when the entries changed. */
  private boolean apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      skip(r, "no key");
      return false;
    }
    String key = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      return entries.remove(key) != null;
    }
    StoreWire.Announcement a;
    try {
      a = StoreWire.decode(r.value());
      URI u = URI.create(a.url());
      if (u.getScheme() == null || u.getHost() == null) {
        throw new CorruptRecordException("url '" + a.url() + "' has no scheme or host");
      }
    } catch (CorruptRecordException | IllegalArgumentException e) {
      skip(r, e.getMessage());
      return false;
    }
    if (!b.zones.isEmpty() && !b.zones.contains(a.storeGroup())) {
      return entries.remove(key) != null;
    }
    Set<String> known = members.get(a.storeGroup());
    if (known == null || !known.contains(a.memberId())) {
      refreshSoon = true; // a store that just joined: check its group now, not in a few seconds
    }
    entries.put(key, a);
    return true;
  }

  private void skip(ConsumerRecord<byte[], byte[]> r, String why) {
    skipped.incrementAndGet();
    log.warn("skipped record {}-{}@{} of {}: {}", r.topic(), r.partition(), r.offset(), b.topic,
        why);
  }

  /** Describes the announced groups; a group that cannot be described keeps its last members. */
  private void refreshMembers() throws InterruptedException {
    Set<String> groups = new HashSet<>();
    entries.values().forEach(a -> groups.add(a.storeGroup()));
    members.keySet().retainAll(groups);
    if (groups.isEmpty()) {
      return;
    }
    Map<String, KafkaFuture<ConsumerGroupDescription>> described;
    try {
      described = admin.describeConsumerGroups(groups).describedGroups();
    } catch (KafkaException e) {
      warnOnce("describing the store groups " + groups + " failed: " + e);
      return;
    }
    boolean ok = true;
    for (Map.Entry<String, KafkaFuture<ConsumerGroupDescription>> e : described.entrySet()) {
      try {
        Set<String> ids = new HashSet<>();
        for (MemberDescription m : e.getValue().get(b.refreshInterval.toMillis() + 15_000,
            TimeUnit.MILLISECONDS).members()) {
          ids.add(m.consumerId());
        }
        members.put(e.getKey(), ids);
      } catch (ExecutionException ee) {
        if (ee.getCause() instanceof GroupIdNotFoundException) {
          members.put(e.getKey(), Set.of()); // the group is gone: none of its stores is alive
        } else {
          ok = false;
          warnOnce("describing store group " + e.getKey() + " failed (keeping its last "
              + "members): " + ee.getCause());
        }
      } catch (TimeoutException te) {
        ok = false;
        warnOnce("describing store group " + e.getKey() + " timed out (keeping its last "
            + "members)");
      }
    }
    if (ok) {
      failing = false;
    }
  }

  private void publish() {
    List<DiscoveredStore> out = new ArrayList<>();
    for (Map.Entry<String, StoreWire.Announcement> e : entries.entrySet()) {
      StoreWire.Announcement a = e.getValue();
      Set<String> live = members.get(a.storeGroup());
      if (live == null || !live.contains(a.memberId())) {
        continue;
      }
      String key = e.getKey();
      String name = key.startsWith(a.storeGroup() + "/")
          ? key.substring(a.storeGroup().length() + 1) : key;
      out.add(new DiscoveredStore(URI.create(a.url()), a.storeGroup(), name, a.memberId(),
          a.instanceId(), Instant.ofEpochMilli(a.startedAtMillis())));
    }
    out.sort(Comparator.comparing(DiscoveredStore::zone)
        .thenComparing(s -> s.url().toString()).thenComparing(DiscoveredStore::name));
    List<DiscoveredStore> next = List.copyOf(out);
    if (!next.equals(stores)) {
      log.info("stores found: {}", next.stream().map(s -> s.zone() + " " + s.url()).toList());
    }
    stores = next;
    announced = entries.size();
  }

  private void warnOnce(String message) {
    if (!failing) {
      failing = true;
      log.warn("store directory: {}", message);
    } else {
      log.debug("store directory: {}", message);
    }
  }

  @Override
  public List<DiscoveredStore> stores() {
    return stores;
  }

  @Override
  public List<URI> urls() {
    Set<URI> out = new LinkedHashSet<>();
    for (DiscoveredStore s : stores) {
      out.add(s.url());
    }
    return List.copyOf(out);
  }

  @Override
  public int announced() {
    return announced;
  }

  @Override
  public long skippedRecords() {
    return skipped.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (!running) {
        return;
      }
      running = false;
      if (!started) {
        started = true;
        consumer.close(Duration.ZERO);
        admin.close(Duration.ZERO);
        return;
      }
    }
    stopping.countDown();
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(2));
  }
}
