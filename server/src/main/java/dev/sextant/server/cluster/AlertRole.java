package dev.sextant.server.cluster;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpResponseException;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.cluster.alerting.ClusterAlerting;
import dev.sextant.cluster.alerting.ClusterAlertingBuilder;
import dev.sextant.server.alerting.NodeAlerting;
import dev.sextant.server.alerting.TenantAlerting;
import dev.sextant.server.tenancy.TenantContext;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert role in cluster mode: the tenants' engines run through {@link ClusterAlerting}, so
 * for each tenant only the node Kafka elected evaluates and notifies, and every alert node keeps
 * the replicated state (alerts, silences, notification log, outbox) warm to take over.
 *
 * <p>The alert HTTP API is served by each tenant's leader. On a follower every alert route of
 * that tenant answers 503 with {@code Retry-After} and, when known, the leader's advertised URL
 * (in the body's {@code leader} and the {@code X-Sextant-Alert-Leader} header): as with an
 * Alertmanager pair, Prometheus servers send alerts to every alert node, and tools retry on the
 * leader. Nothing is forwarded (a forwarded silence could land on a node that just lost the
 * lead). Tenants: the default tenant and those with a rules sub-directory, looked for again
 * every {@value #SCAN_SECONDS} seconds, so a tenant added later is elected without a restart.
 */
public final class AlertRole implements NodeAlerting {
  /** Names the leader on a follower's 503. */
  public static final String LEADER_HEADER = "x-sextant-alert-leader";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RETRY_AFTER_SECONDS = 2;
  static final long SCAN_SECONDS = 10;
  private static final Logger log = LoggerFactory.getLogger(AlertRole.class);

  private final TenantAlerting engines;
  private final ClusterAlerting alerting;
  private final ScheduledExecutorService scanner = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "sextant-alert-tenant-scan");
        t.setDaemon(true);
        return t;
      });

  /**
   * Joins every tenant's election.
   *
   * @param engines builds a tenant's engine when this node is elected (never started itself)
   * @param dataDir where the engines' directories are rebuilt from the state topic
   * @param advertisedUrl this node's HTTP API as users reach it, published while it leads
   * @throws IllegalStateException when the alert topics cannot be created (Kafka unreachable)
   */
  public AlertRole(ClusterSettings settings, String nodeId, String advertisedUrl,
      TenantAlerting engines, Path dataDir, PrometheusRegistry registry) {
    this.engines = requireNonNull(engines, "engines");
    ClusterAlertingBuilder b = ClusterAlerting.builder(settings.bootstrapServers(), dataDir,
            (tenant, dir, state) -> engines.build(tenant, dir, state))
        .tenants(engines.tenantsWithRules())
        .replicationFactor(settings.replicationFactor())
        .nodeId(nodeId)
        .advertisedUrl(advertisedUrl);
    settings.kafkaProperties().forEach(b::connectionProperty);
    this.alerting = b.build();
    try {
      alerting.start();
    } catch (RuntimeException e) {
      alerting.close();
      throw e;
    }
    scanner.scheduleWithFixedDelay(this::addNewTenants, SCAN_SECONDS, SCAN_SECONDS,
        TimeUnit.SECONDS);
    GaugeWithCallback.builder().name("sextant_cluster_alert_leader")
        .help("1 while this node leads the tenant's alerting (evaluates and notifies), else 0")
        .labelNames("tenant")
        .callback(c -> alerting.tenants().forEach(t ->
            c.call(alerting.isLeader(t) ? 1 : 0, t)))
        .register(registry);
    GaugeWithCallback.builder().name("sextant_cluster_alert_state_lag_records")
        .help("Records of the alert state topic this node's copy has not read yet (-1: none read)")
        .callback(c -> c.call(alerting.stateLag()))
        .register(registry);
  }

  /** Stands for election in tenants whose rules directory appeared since the last look. */
  void addNewTenants() {
    try {
      engines.tenantsWithRules().forEach(alerting::addTenant);
    } catch (RuntimeException e) {
      log.warn("looking for new tenants' rules failed; trying again in {} s", SCAN_SECONDS, e);
    }
  }

  /** The tenants this node stands for election in. */
  public Set<String> tenants() {
    return alerting.tenants();
  }

  /** Whether this node leads {@code tenant}'s alerting now. */
  public boolean isLeader(String tenant) {
    return alerting.isLeader(tenant);
  }

  /** See {@link ClusterAlerting#stateLag()}. */
  public long stateLag() {
    return alerting.stateLag();
  }

  @Override
  public String current() {
    return TenantContext.current();
  }

  /** The engine while this node leads {@code tenant}, else null (no I/O). */
  @Override
  public @Nullable AlertEngine existing(String tenant) {
    return alerting.engine(tenant);
  }

  /**
   * The engine while this node leads {@code tenant}.
   *
   * @throws HttpResponseException 503 naming the leader when another node leads (or none does
   *     yet), 404 when the tenant has no alerting on this cluster
   */
  @Override
  public AlertEngine engine(String tenant) {
    AlertEngine e = alerting.engine(tenant);
    if (e != null) {
      return e;
    }
    throw HttpResponseException.of(notLeader(tenant));
  }

  @Override
  public List<RuleFileResult> reload(String tenant) {
    return engine(tenant).loadRules(engines.rulePatterns(tenant));
  }

  @Override
  public NotifierConfig notifier(String tenant) {
    return engines.notifier(tenant);
  }

  @Override
  public QueryFunction query(String tenant) {
    return engines.query(tenant);
  }

  private HttpResponse notLeader(String tenant) {
    ObjectNode body = JSON.createObjectNode();
    if (!alerting.tenants().contains(tenant)) {
      body.put("status", 404);
      body.put("error", "tenant '" + tenant + "' has no alerting in this cluster: the alert "
          + "nodes serve the default tenant and those with a rules directory (looked for every "
          + SCAN_SECONDS + " s)");
      return json(ResponseHeaders.of(HttpStatus.NOT_FOUND), body);
    }
    String leader = alerting.leaderUrl(tenant);
    body.put("status", 503);
    body.put("error", "this node does not lead alerting of tenant '" + tenant + "'"
        + (leader == null ? "; no leader is known yet, retry"
            : "; its leader was last " + leader + ", retry there"));
    if (leader != null) {
      body.put("leader", leader);
    }
    ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
        .set("retry-after", String.valueOf(RETRY_AFTER_SECONDS));
    if (leader != null) {
      h.set(LEADER_HEADER, leader);
    }
    return json(h.build(), body);
  }

  private static HttpResponse json(ResponseHeaders headers, ObjectNode body) {
    return HttpResponse.of(headers.toBuilder().contentType(MediaType.JSON_UTF_8).build(),
        HttpData.wrap(body.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** Stops leading (the others take over at once) and closes the engines and Kafka clients. */
  @Override
  public void close() {
    scanner.shutdownNow();
    alerting.close();
    engines.close(); // its engines are the ones just closed; this stops its evidence-pin thread
  }
}
