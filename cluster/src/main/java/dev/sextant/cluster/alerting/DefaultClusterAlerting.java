package dev.sextant.cluster.alerting;

import dev.sextant.alert.AlertEngine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;

/** The alert role's wiring: one state copy, one election and {@link TenantLeader} per tenant. */
final class DefaultClusterAlerting implements ClusterAlerting {
  private final ClusterAlertingBuilder b;
  private final StateReplica replica;
  private final Map<String, TenantLeader> leaders = new LinkedHashMap<>();
  private final Map<String, LeaderElection> elections = new LinkedHashMap<>();

  DefaultClusterAlerting(ClusterAlertingBuilder b) {
    this.b = b;
    this.replica = new StateReplica(b.bootstrapServers, b.stateTopic, b.nodeId);
    for (String tenant : b.tenants) {
      TenantLeader l = new TenantLeader(tenant, b, replica);
      LeaderElection e = LeaderElection.builder(b.bootstrapServers, b.electionTopic,
              "sextant.alert." + tenant, l)
          .sessionTimeout(b.sessionTimeout).clientId(b.nodeId).build();
      l.election(e);
      leaders.put(tenant, l);
      elections.put(tenant, e);
    }
  }

  @Override
  public void start() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, b.nodeId + "-admin");
    try (Admin admin = Admin.create(p)) {
      AlertTopics.create(admin, b.electionTopic, b.stateTopic, b.replicationFactor);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating the alert topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating the alert topics timed out: " + e.getMessage(), e);
    }
    replica.start();
    elections.values().forEach(LeaderElection::start);
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
  public void halt() {
    elections.values().forEach(LeaderElection::halt);
    replica.close();
  }

  @Override
  public void close() {
    elections.values().forEach(LeaderElection::close);
    replica.close();
  }
}
