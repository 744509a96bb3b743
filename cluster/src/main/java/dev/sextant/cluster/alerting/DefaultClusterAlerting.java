package dev.sextant.cluster.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.AlertEngine;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alert role's wiring: one state copy, one election and {@link TenantLeader} per tenant. */
final class DefaultClusterAlerting implements ClusterAlerting {
  private static final Logger log = LoggerFactory.getLogger(DefaultClusterAlerting.class);
  private static final long LOOKUP_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ClusterAlertingBuilder b;
  private final StateReplica replica;
  private final Map<String, TenantLeader> leaders = new ConcurrentHashMap<>();
  private final Map<String, LeaderElection> elections = new ConcurrentHashMap<>();
  private boolean started; // guarded by this
  private boolean stopped; // guarded by this
  private final Map<String, KnownLeader> known = new ConcurrentHashMap<>();
  private volatile @Nullable Admin lookups;

  /** A tenant's leader URL as Kafka had it at {@code nanos}. */
  private record KnownLeader(@Nullable String url, long nanos) {}

  DefaultClusterAlerting(ClusterAlertingBuilder b) {
    this.b = b;
    this.replica = new StateReplica(b.connection, b.stateTopic, b.nodeId);
    b.tenants.forEach(this::add);
  }

  private LeaderElection add(String tenant) {
    TenantLeader l = new TenantLeader(tenant, b, replica);
    LeaderElectionBuilder eb = LeaderElection.builder(b.bootstrapServers, b.electionTopic,
            "sextant.alert." + tenant, l)
        .sessionTimeout(b.sessionTimeout).clientId(b.nodeId).leaderInfo(b.advertisedUrl);
    b.connection.forEach((k, v) -> {
      if (!k.equals("bootstrap.servers")) {
        eb.connectionProperty(k, v);
      }
    });
    LeaderElection e = eb.build();
    l.election(e);
    leaders.put(tenant, l);
    elections.put(tenant, e);
    return e;
  }

  @Override
  public synchronized boolean addTenant(String tenant) {
    requireNonNull(tenant, "tenant");
    if (stopped) {
      throw new IllegalStateException("the alert role is closed");
    }
    if (leaders.containsKey(tenant)) {
      return false;
    }
    LeaderElection e = add(tenant);
    if (started) {
      e.start();
    }
    log.info("alerting: standing for election in tenant {} (added after start)", tenant);
    return true;
  }

  @Override
  public synchronized void start() {
    Properties p = new Properties();
    p.putAll(b.connection);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, b.nodeId + "-admin");
    try (Admin admin = Admin.create(p)) {
      AlertTopics.create(admin, b.electionTopic, b.stateTopic, b.replicationFactor);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating the alert topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating the alert topics timed out: " + e.getMessage(), e);
    }
    Properties l = new Properties();
    l.putAll(b.connection);
    l.put(AdminClientConfig.CLIENT_ID_CONFIG, b.nodeId + "-leader-lookup");
    l.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
    l.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    lookups = Admin.create(l);
    replica.start();
    elections.values().forEach(LeaderElection::start);
    started = true;
  }

  @Override
  public Set<String> tenants() {
    return Set.copyOf(leaders.keySet());
  }

  @Override
  public boolean isLeader(String tenant) {
    LeaderElection e = elections.get(tenant);
    return e != null && e.isLeader();
  }

  @Override
  public @Nullable AlertEngine engine(String tenant) {
    TenantLeader l = leaders.get(tenant);
    return l == null ? null : l.engine();
  }

  @Override
  public @Nullable String leaderUrl(String tenant) {
    if (!leaders.containsKey(tenant)) {
      return null;
    }
    KnownLeader k = known.get(tenant);
    long now = System.nanoTime();
    if (k != null && now - k.nanos() < LOOKUP_EVERY_NANOS) {
      return k.url();
    }
    String url = lookUp(tenant);
    known.put(tenant, new KnownLeader(url, now));
    return url;
  }

  /** The metadata of the lease's last commit in the tenant's group: the leader's URL. */
  private @Nullable String lookUp(String tenant) {
    Admin a = lookups;
    if (a == null) {
      return null;
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = a
          .listConsumerGroupOffsets("sextant.alert." + tenant)
          .partitionsToOffsetAndMetadata().get(2, TimeUnit.SECONDS);
      OffsetAndMetadata o = offsets.get(new TopicPartition(b.electionTopic, 0));
      return o == null || o.metadata() == null || o.metadata().isEmpty() ? null : o.metadata();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("looking up the alert leader of {} failed: {}", tenant, e.toString());
      return null;
    }
  }

  @Override
  public long stateLag() {
    return replica.lag();
  }

  @Override
  public void halt() {
    synchronized (this) {
      stopped = true;
    }
    elections.values().forEach(LeaderElection::halt);
    replica.close();
    closeLookups();
  }

  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
    }
    elections.values().forEach(LeaderElection::close);
    replica.close();
    closeLookups();
  }

  private void closeLookups() {
    Admin a = lookups;
    lookups = null;
    if (a != null) {
      a.close(Duration.ZERO);
    }
  }
}
