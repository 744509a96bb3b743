package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.internal.CorruptRecordException;
import dev.sextant.cluster.internal.StoreWire;
import dev.sextant.cluster.testing.KafkaBroker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreDirectory} and {@link StoreAnnouncer} against a real broker: each test has its own
 * announcement topic and consumer groups; the "stores" are real members of their groups (plain
 * consumers, as a store's {@link StoreConsumer} is one) with short session timeouts.
 */
class StoreDirectoryTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<AutoCloseable> open = new ArrayList<>();
  private KafkaBroker kafka;
  private String prefix;
  private String topic;

  @BeforeEach
  void createTopics() throws Exception {
    kafka = KafkaBroker.shared();
    prefix = "discovery-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    topic = prefix + ".stores";
    try (Admin admin = kafka.admin()) {
      NewTopic stores = ClusterTopics.storesTopic((short) 1);
      ClusterTopics.createMissing(admin, List.of(
          new NewTopic(topic, 1, (short) 1).configs(stores.configs()),
          new NewTopic(prefix + ".data", 1, (short) 1)));
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void stores_announcedMemberOfItsGroupIsFound() {
    Member m = member(prefix + "-zone-a");
    announcer(m, "store-1", "http://127.0.0.1:8811");
    StoreDirectory dir = directory();

    await().atMost(WAIT).untilAsserted(() -> assertThat(dir.stores()).hasSize(1));
    DiscoveredStore s = dir.stores().get(0);
    assertThat(s.url()).isEqualTo(URI.create("http://127.0.0.1:8811"));
    assertThat(s.zone()).isEqualTo(prefix + "-zone-a");
    assertThat(s.name()).isEqualTo("store-1");
    assertThat(s.instanceId()).isEqualTo("store-1");
    assertThat(s.memberId()).isEqualTo(m.memberId);
    assertThat(dir.urls()).containsExactly(URI.create("http://127.0.0.1:8811"));
    assertThat(dir.skippedRecords()).isZero();
  }

  @Test
  void stores_storeWhoseConsumerLeavesItsGroupDisappears() throws Exception {
    Member left = member(prefix + "-zone-a");
    Member crashed = member(prefix + "-zone-a");
    Member stays = member(prefix + "-zone-a");
    announcer(left, "left", "http://127.0.0.1:8811");
    announcer(crashed, "crashed", "http://127.0.0.1:8812");
    announcer(stays, "stays", "http://127.0.0.1:8813");
    StoreDirectory dir = directory();
    await().atMost(WAIT).untilAsserted(() -> assertThat(dir.stores()).hasSize(3));

    // Neither writes a tombstone; their announcers go on naming their last member ids.
    left.leave();
    crashed.halt(); // as a SIGKILL: no LeaveGroup, the session timeout drops it
    await().atMost(WAIT).untilAsserted(() -> assertThat(dir.urls())
        .containsExactly(URI.create("http://127.0.0.1:8813")));
    assertThat(dir.announced()).isEqualTo(3); // still announced, no longer trusted
  }

  @Test
  void stores_tombstoneRemovesAStoreAtOnce() {
    Member m = member(prefix + "-zone-a");
    StoreAnnouncer a = announcer(m, "store-1", "http://127.0.0.1:8811");
    StoreDirectory dir = directory();
    await().atMost(WAIT).untilAsserted(() -> assertThat(dir.stores()).hasSize(1));

    a.close(); // its consumer is still in the group: only the tombstone removes it
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(dir.stores()).isEmpty();
      assertThat(dir.announced()).isZero();
    });
  }

  @Test
  void stores_twoZonesAreBothListedAndAMovedStoreReplacesItsEntry() {
    Member a = member(prefix + "-zone-a");
    Member b = member(prefix + "-zone-b");
    announcer(a, "store-1", "http://127.0.0.1:8811");
    StoreAnnouncer old = announcer(b, "store-1", "http://127.0.0.1:8821");
    StoreDirectory dir = directory();
    await().atMost(WAIT).untilAsserted(() -> assertThat(dir.stores())
        .extracting(s -> s.zone() + " " + s.url())
        .containsExactly(prefix + "-zone-a http://127.0.0.1:8811",
            prefix + "-zone-b http://127.0.0.1:8821"));

    // Zone b's store restarts at another URL under its name.
    old.close();
    announcer(b, "store-1", "http://127.0.0.1:8822");
    await().atMost(WAIT).untilAsserted(() -> assertThat(dir.stores())
        .extracting(s -> s.zone() + " " + s.url())
        .containsExactly(prefix + "-zone-a http://127.0.0.1:8811",
            prefix + "-zone-b http://127.0.0.1:8822"));

    StoreDirectory onlyB = track(StoreDirectory.builder(kafka.bootstrapServers()).topic(topic)
        .refreshInterval(Duration.ofMillis(300)).zones(Set.of(prefix + "-zone-b"))
        .build());
    onlyB.start();
    await().atMost(WAIT).untilAsserted(() -> assertThat(onlyB.urls())
        .containsExactly(URI.create("http://127.0.0.1:8822")));
  }

  @Test
  void stores_malformedRecordsAreSkippedAndCountedNotFatal() throws Exception {
    Member m = member(prefix + "-zone-a");
    String group = prefix + "-zone-a";
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      byte[] good = StoreWire.encode(new StoreWire.Announcement("http://127.0.0.1:8811", group,
          m.memberId, null, 1, 2));
      byte[] newer = good.clone();
      newer[0] = 9; // a version this code does not read
      byte[] badUrl = StoreWire.encode(new StoreWire.Announcement("not a url", group,
          m.memberId, null, 1, 2));
      for (ProducerRecord<byte[], byte[]> r : List.of(
          // (a record without a key is refused by the compacted topic itself)
          new ProducerRecord<byte[], byte[]>(topic, StoreWire.key(group, "garbled"),
              new byte[] {1, 50, 1}),
          new ProducerRecord<>(topic, StoreWire.key(group, "newer"), newer),
          new ProducerRecord<>(topic, StoreWire.key(group, "bad-url"), badUrl),
          new ProducerRecord<>(topic, StoreWire.key(group, "good"), good))) {
        producer.send(r).get(30, TimeUnit.SECONDS);
      }
    }
    StoreDirectory dir = directory();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(dir.skippedRecords()).isEqualTo(3);
      assertThat(dir.urls()).containsExactly(URI.create("http://127.0.0.1:8811"));
    });
  }

  @Test
  void wire_roundTripsAndRefusesTruncatedValues() {
    StoreWire.Announcement a = new StoreWire.Announcement("https://s:1", "g", "m-1", "i", 5, 6);
    byte[] v = StoreWire.encode(a);
    assertThat(StoreWire.decode(v)).isEqualTo(a);
    for (int n = 0; n < v.length; n++) {
      byte[] cut = Arrays.copyOf(v, n);
      assertThatThrownBy(() -> StoreWire.decode(cut)).isInstanceOf(CorruptRecordException.class);
    }
  }

  private StoreDirectory directory() {
    StoreDirectory d = track(StoreDirectory.builder(kafka.bootstrapServers()).topic(topic)
        .refreshInterval(Duration.ofMillis(300)).build());
    d.start();
    return d;
  }

  private StoreAnnouncer announcer(Member m, String name, String url) {
    StoreAnnouncer a = track(StoreAnnouncer.builder(kafka.bootstrapServers(), m.group, name,
            URI.create(url), () -> m.memberId)
        .instanceId(name).topic(topic).interval(Duration.ofSeconds(1)).build());
    a.start();
    return a;
  }

  private Member member(String group) {
    Member m = track(new Member(kafka.bootstrapServers(), group, prefix + ".data"));
    await().atMost(WAIT).until(() -> m.memberId != null);
    return m;
  }

  private <T extends AutoCloseable> T track(T c) {
    open.add(c);
    return c;
  }

  /** A live member of a consumer group, as a store's consumer is. */
  private static final class Member implements AutoCloseable {
    final String group;
    volatile @Nullable String memberId;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean halted;

    Member(String servers, String group, String topic) {
      this.group = group;
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
      p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
      p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 1_000);
      p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 250);
      p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
      consumer = new KafkaConsumer<>(p);
      thread = new Thread(() -> {
        try {
          consumer.subscribe(List.of(topic));
          while (running) {
            consumer.poll(Duration.ofMillis(100));
            String id = consumer.groupMetadata().memberId();
            if (!id.isEmpty()) {
              memberId = id; // kept after it leaves: its announcer goes on naming it
            }
          }
        } catch (WakeupException e) {
          // leave or halt
        } finally {
          consumer.close(halted
              ? CloseOptions.groupMembershipOperation(
                  CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ZERO)
              : CloseOptions.timeout(Duration.ofSeconds(5)));
        }
      }, "member-" + group);
      thread.start();
    }

    void leave() throws InterruptedException {
      if (!thread.isAlive()) {
        return;
      }
      running = false;
      consumer.wakeup();
      thread.join(30_000);
    }

    void halt() throws InterruptedException {
      halted = true;
      leave();
    }

    @Override
    public void close() throws InterruptedException {
      leave();
    }
  }
}
