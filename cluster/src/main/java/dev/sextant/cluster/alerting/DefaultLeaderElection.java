package dev.sextant.cluster.alerting;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The consumer-group election; see {@link LeaderElection} for the protocol and its bounds. */
final class DefaultLeaderElection implements LeaderElection {
  private static final Logger log = LoggerFactory.getLogger(DefaultLeaderElection.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final LeaderElectionBuilder b;
  private final TopicPartition tp;
  private final long leaseNanos;
  private final long renewNanos;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile boolean halted;
  private volatile boolean stepDown;
  private volatile boolean leader;
  private volatile long leaseUntil;
  private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;
  // Election thread only:
  private boolean assigned;
  private long lastRenew;

  DefaultLeaderElection(LeaderElectionBuilder b) {
    this.b = b;
    this.tp = new TopicPartition(b.topic, 0);
    long session = b.sessionTimeout.toNanos();
    // The coordinator hands the partition on no earlier than a session timeout after our last
    // commit; the third left over covers the gap between isLeader() and the work it allows.
    this.leaseNanos = session * 2 / 3;
    this.renewNanos = session / 6;
    this.thread = new Thread(this::run, "sextant-alert-election-" + b.groupId);
    thread.setDaemon(true);
  }

  @Override
  public void start() {
    thread.start();
  }

  @Override
  public boolean isLeader() {
    return leader && System.nanoTime() - leaseUntil < 0;
  }

  @Override
  public void stepDown() {
    stepDown = true;
  }

  private void run() {
    while (running) {
      KafkaConsumer<byte[], byte[]> c = newConsumer();
      consumer = c;
      try {
        c.subscribe(List.of(b.topic), new Rebalance());
        while (running && !stepDown) {
          c.poll(POLL);
          if (assigned && !leader) {
            becomeLeader(c);
          } else if (leader) {
            if (System.nanoTime() - lastRenew >= renewNanos) {
              renew(c);
            }
            if (System.nanoTime() - leaseUntil >= 0) {
              log.warn("alert leadership of {}: lease expired (coordinator unreachable), stepping "
                  + "down", b.groupId);
              stepDown = true;
            }
          }
        }
      } catch (WakeupException e) {
        // close or halt
      } catch (KafkaException e) {
        log.warn("alert election {} failed, rejoining: {}", b.groupId, e.toString());
      } finally {
        lose();
        closeConsumer(c);
        assigned = false;
        stepDown = false;
      }
    }
  }

  private void becomeLeader(KafkaConsumer<byte[], byte[]> c) {
    if (!renew(c)) {
      return;
    }
    leader = true;
    log.info("alert leadership of {}: elected", b.groupId);
    try {
      b.listener.elected();
    } catch (Exception e) {
      log.error("alert leadership of {}: starting as leader failed, stepping down", b.groupId, e);
      leader = false;
      stepDown = true;
    }
  }

  /** A generation-checked commit: succeeds only while the coordinator has us as the owner. */
  private boolean renew(KafkaConsumer<byte[], byte[]> c) {
    long t0 = System.nanoTime();
    lastRenew = t0;
    try {
      c.commitSync(Map.of(tp, new OffsetAndMetadata(0, b.leaderInfo)),
          Duration.ofNanos(renewNanos * 2));
      leaseUntil = t0 + leaseNanos;
      return true;
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      log.debug("alert leadership of {}: renewal failed: {}", b.groupId, e.toString());
      return false;
    }
  }

  private void lose() {
    if (!leader) {
      return;
    }
    leader = false;
    log.info("alert leadership of {}: revoked", b.groupId);
    try {
      b.listener.revoked();
    } catch (RuntimeException e) {
      log.error("alert leadership of {}: stopping the leader's work failed", b.groupId, e);
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.contains(tp)) {
        assigned = true;
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.contains(tp)) {
        assigned = false;
        lose(); // before returning: only then may the group assign the partition elsewhere
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }

  private KafkaConsumer<byte[], byte[]> newConsumer() {
    Properties p = new Properties();
    long session = b.sessionTimeout.toMillis();
    p.putAll(b.connection);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, b.clientId + "-election-" + b.groupId);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, b.groupId);
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
    // Sticky: a member joining does not move the leadership; cooperative: a moving partition is
    // revoked from its owner in one rebalance and assigned in the next.
    p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) session);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(50, session / 3));
    // elected() (catching up the state topic, building the engine) runs between two polls.
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    return new KafkaConsumer<>(p);
  }

  private void closeConsumer(KafkaConsumer<byte[], byte[]> c) {
    try {
      if (halted) {
        c.close(CloseOptions.groupMembershipOperation(
            CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP).withTimeout(Duration.ZERO));
      } else {
        c.close(Duration.ofSeconds(5));
      }
    } catch (RuntimeException e) {
      log.warn("closing the election consumer of {} failed: {}", b.groupId, e.toString());
    }
  }

  @Override
  public void halt() {
    halted = true;
    stop();
  }

  @Override
  public void close() {
    stop();
  }

  private void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      try {
        c.wakeup();
      } catch (RuntimeException e) {
        // already closed by the thread: nothing to wake
      }
    }
    if (thread.isAlive()) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
