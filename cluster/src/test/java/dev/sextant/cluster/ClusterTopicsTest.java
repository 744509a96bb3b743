package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.testing.KafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;

/** {@link ClusterTopics#createMissing} against a real broker. */
class ClusterTopicsTest {
  @Test
  void createMissing_createsWhatIsMissingAndLeavesExistingTopicsAsTheyAre() throws Exception {
    try (Admin admin = KafkaBroker.shared().admin()) {
      ClusterTopics.createMissing(admin, List.of(new NewTopic("topics-test.a", 3, (short) 1)));
      // "a" exists: asked again with another partition count, it keeps its 3; "b" is created.
      ClusterTopics.createMissing(admin, List.of(new NewTopic("topics-test.a", 1, (short) 1),
          new NewTopic("topics-test.b", 2, (short) 1)));
      ClusterTopics.createMissing(admin, List.of(new NewTopic("topics-test.b", 2, (short) 1)));

      // A topic just created may not be in the broker's metadata yet: ask until it is.
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
        Map<String, TopicDescription> d = admin.describeTopics(List.of("topics-test.a",
            "topics-test.b")).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(d.get("topics-test.a").partitions()).hasSize(3);
        assertThat(d.get("topics-test.b").partitions()).hasSize(2);
      });
    }
  }
}
