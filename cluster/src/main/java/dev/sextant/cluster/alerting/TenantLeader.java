package dev.sextant.cluster.alerting;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.replication.StateDirectory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tenant on one node: what happens on election (fence, catch up, rebuild the directory, build
 * and tick the engine) and on revocation (stop ticking, close).
 */
final class TenantLeader implements LeadershipListener {
  private static final Logger log = LoggerFactory.getLogger(TenantLeader.class);
  private static final int RELOAD_EVERY_TICKS = 10;

  private final String tenant;
  private final ClusterAlertingBuilder b;
  private final StateReplica replica;
  private final Path dir;
  private LeaderElection election; // set once, before start
  private volatile @Nullable AlertEngine engine;
  private @Nullable StateWriter writer;
  private @Nullable ScheduledExecutorService ticker;
  private long ticks;

  TenantLeader(String tenant, ClusterAlertingBuilder b, StateReplica replica) {
    this.tenant = tenant;
    this.b = b;
    this.replica = replica;
    this.dir = b.dataDir.resolve("tenants")
        .resolve(URLEncoder.encode(tenant, StandardCharsets.UTF_8)).resolve("alerts");
  }

  void election(LeaderElection election) {
    this.election = election;
  }

  @Nullable AlertEngine engine() {
    return election.isLeader() ? engine : null;
  }

  @Override
  public synchronized void elected() throws Exception {
    StateWriter w = new StateWriter(b.connection, b.stateTopic, tenant, b.nodeId,
        b.kafkaTimeout, election::stepDown);
    try {
      w.init(); // fences the previous leader: its later writes can no longer land
      replica.catchUp(b.kafkaTimeout);
      StateDirectory.reset(dir, sink -> replica.forEach(tenant, sink));
      AlertEngine e = b.engines.create(tenant, dir, w);
      ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread th = new Thread(r, "sextant-alert-tick-" + tenant);
        th.setDaemon(true);
        return th;
      });
      writer = w;
      engine = e;
      ticker = t;
      long ms = b.tickInterval.toMillis();
      t.scheduleWithFixedDelay(() -> tick(e, w), 0, ms, TimeUnit.MILLISECONDS);
      log.info("alert leader of tenant {}: started from {} replicated entries", tenant,
          replica.size(tenant));
    } catch (Exception | Error e) {
      w.close();
      throw e;
    }
  }

  private void tick(AlertEngine e, StateWriter w) {
    // The lease check: a leader cut off from Kafka stops here before the group can elect another.
    if (!election.isLeader() || w.fenced()) {
      return;
    }
    try {
      e.tick();
      if (++ticks % RELOAD_EVERY_TICKS == 0) {
        e.reloadIfChanged();
      }
    } catch (RuntimeException ex) {
      log.warn("alert tick of tenant {} failed: {}", tenant, ex.toString());
    }
  }

  @Override
  public synchronized void revoked() {
    ScheduledExecutorService t = ticker;
    if (t != null) {
      // Not interrupted: a tick in flight finishes with its state writes replicated (no other
      // leader can start before this returns); a delivery attempt is bounded by its HTTP timeout.
      t.shutdown();
      try {
        if (!t.awaitTermination(60, TimeUnit.SECONDS)) {
          log.error("alert tick of tenant {} did not finish within 60s, interrupting", tenant);
          t.shutdownNow();
        }
      } catch (InterruptedException ex) {
        t.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    AlertEngine e = engine;
    engine = null;
    ticker = null;
    if (e != null) {
      e.close();
    }
    StateWriter w = writer;
    writer = null;
    if (w != null) {
      w.close();
    }
  }
}
