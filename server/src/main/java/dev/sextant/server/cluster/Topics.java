package dev.sextant.server.cluster;

import dev.sextant.cluster.ClusterTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates cluster mode's topics at a node's start, when the settings ask for it. */
final class Topics {
  private static final Logger log = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /**
   * Creates the missing topics; a broker that does not answer within the admin's timeouts is
   * logged and left: the node starts anyway, and its writes are refused (503) until Kafka is up.
   */
  static void createQuietly(ClusterSettings s) {
    Map<String, Object> props = new HashMap<>(s.kafkaProperties());
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(props)) {
      ClusterTopics.create(admin, s.partitions(), s.replicationFactor());
    } catch (TimeoutException | RuntimeException e) {
      log.warn("creating the cluster topics at {} failed (will not retry; writes are refused "
          + "until they exist): {}", s.bootstrapServers(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
