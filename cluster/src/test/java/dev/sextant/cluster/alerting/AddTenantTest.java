package dev.sextant.cluster.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.cluster.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tenant added to a running alert role is elected like the ones it started with, on a real
 * broker: this node (the only member) leads it and builds its engine.
 */
class AddTenantTest {
  @TempDir
  Path dir;

  @Test
  void addTenant_afterStart_isElectedAndGetsAnEngine() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String first = "first-" + suffix;
    String added = "added-" + suffix;
    NotifierConfig notifier = NotifierConfig.parse("""
        route: {receiver: nobody}
        receivers: [{name: nobody}]
        """, null);
    Set<String> built = ConcurrentHashMap.newKeySet();
    ClusterAlerting alerting = ClusterAlerting.builder(kafka.bootstrapServers(), dir,
            (tenant, dataDir, state) -> {
              built.add(tenant);
              return AlertEngine.builder((expr, t) -> List.of(), dataDir, notifier)
                  .stateListener(state).build();
            })
        .tenants(List.of(first)).nodeId("node-" + suffix)
        .topics("election-" + suffix, "state-" + suffix)
        .sessionTimeout(Duration.ofSeconds(3)).tickInterval(Duration.ofMillis(200)).build();
    try {
      assertThat(alerting.addTenant(added)).as("before start").isTrue();
      alerting.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> alerting.isLeader(added));

      String later = "later-" + suffix;
      assertThat(alerting.addTenant(later)).isTrue();
      assertThat(alerting.addTenant(later)).as("already standing").isFalse();
      await().atMost(Duration.ofSeconds(60)).until(() -> alerting.isLeader(later)
          && alerting.engine(later) != null && alerting.isLeader(first));
      assertThat(alerting.tenants()).containsExactlyInAnyOrder(first, added, later);
      assertThat(built).contains(first, added, later);
    } finally {
      alerting.close();
    }
    assertThatThrownBy(() -> alerting.addTenant("too-late"))
        .isInstanceOf(IllegalStateException.class);
  }
}
