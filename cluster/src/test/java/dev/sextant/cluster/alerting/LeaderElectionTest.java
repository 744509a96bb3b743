package dev.sextant.cluster.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The election's fencing when the leader cannot reach Kafka: its lease lapses and it stops leading
 * on its own (it cannot learn from the coordinator that it lost the partition), then leads again
 * when the broker is back.
 */
class LeaderElectionTest {
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  Path dir;

  @Test
  void brokerStops_leaderStepsDownOnItsLease_andIsElectedAgainWhenBack() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"))) {
      try (Admin admin = kafka.admin()) {
        AlertTopics.create(admin, AlertTopics.ELECTION, AlertTopics.STATE, (short) 1);
      }
      AtomicInteger elected = new AtomicInteger();
      AtomicInteger revoked = new AtomicInteger();
      AtomicBoolean working = new AtomicBoolean();
      LeadershipListener listener = new LeadershipListener() {
        @Override
        public void elected() {
          assertThat(working.getAndSet(true)).isFalse();
          elected.incrementAndGet();
        }

        @Override
        public void revoked() {
          assertThat(working.getAndSet(false)).isTrue();
          revoked.incrementAndGet();
        }
      };
      try (LeaderElection election = LeaderElection.builder(kafka.bootstrapServers(),
              AlertTopics.ELECTION, "sextant.alert.lease", listener)
          .sessionTimeout(Duration.ofSeconds(3)).clientId("lease-test").build()) {
        election.start();
        // isLeader() turns true as elected() starts; the count when it returned.
        await().atMost(WAIT).until(() -> election.isLeader() && elected.get() == 1);

        kafka.stop();
        await().atMost(WAIT).until(() -> !election.isLeader() && revoked.get() == 1);
        assertThat(working.get()).isFalse();

        kafka.start();
        await().atMost(WAIT).until(() -> election.isLeader() && elected.get() == 2);
        assertThat(working.get()).isTrue();
      }
      assertThat(revoked.get()).isEqualTo(2);
      assertThat(working.get()).isFalse();
    }
  }
}
