package dev.sextant.cluster.alerting;

import dev.sextant.alert.AlertEngine;
import java.nio.file.Path;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@code alert} role in cluster mode: for each of its tenants this node takes part in a
 * {@link LeaderElection}; while it leads a tenant it runs that tenant's {@link AlertEngine}
 * (ticking it only while the lease holds) and replicates every state write to the state topic,
 * and when it stops leading it closes the engine. Every node keeps a copy of the state topic, so
 * a new leader starts from the last state the previous one committed: the same pending timers,
 * firing alerts, silences, notification log (no page sent twice) and undelivered pages (none
 * dropped), under the same {@code dedup_key}s. See docs/cluster-alerting.md.
 */
public interface ClusterAlerting extends AutoCloseable {
  /**
   * Starts building the role for the Kafka cluster at {@code bootstrapServers}, keeping engines'
   * directories under {@code dataDir} and building engines with {@code engines}.
   */
  static ClusterAlertingBuilder builder(String bootstrapServers, Path dataDir,
      AlertEngineFactory engines) {
    return new ClusterAlertingBuilder(bootstrapServers, dataDir, engines);
  }

  /** Creates the topics when missing, starts the state copy and joins every tenant's election. */
  void start();

  /** The tenants this node stands for election in. */
  Set<String> tenants();

  /**
   * Stands for election in {@code tenant} too (a tenant whose rules appeared after start): at once
   * when started, else with the others on {@link #start()}. Every alert node adds it on its own;
   * the election picks one leader as for the tenants given at build.
   *
   * @return false when this node already stands for it
   * @throws IllegalStateException once closed or halted
   */
  boolean addTenant(String tenant);

  /** Whether this node leads {@code tenant} now (elected and lease valid). */
  boolean isLeader(String tenant);

  /**
   * The engine of {@code tenant} while this node leads it (for the alerting HTTP API: silences
   * must be added on the leader), else null. Do not close or start it.
   */
  @Nullable AlertEngine engine(String tenant);

  /**
   * The advertised URL of {@code tenant}'s leader as its last lease renewal published it (see
   * {@link ClusterAlertingBuilder#advertisedUrl}), or null when unknown (no leader yet, no URL
   * advertised, Kafka not answering). Right after a leader died it still names the dead one
   * until the next leader renews its lease. Asks Kafka at most once a second per tenant; may
   * block up to 2 seconds, so not on an event loop.
   */
  @Nullable String leaderUrl(String tenant);

  /**
   * Records of the state topic this node's copy has not read yet (as of its last read), or -1
   * before its first read. Followers keep it near 0; a new leader waits for it to reach the end
   * before it starts.
   */
  long stateLag();

  /**
   * Stops as a killed process would, for failover tests: engines stop, no group is left (the
   * others take over after the session timeout), nothing more is written.
   */
  void halt();

  /** Stops leading (the others take over at once), closes engines and Kafka clients. */
  @Override
  void close();
}
