package dev.sextant.cluster.alerting;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.replication.StateListener;
import java.nio.file.Path;

/**
 * Builds a tenant's {@link AlertEngine} when this node becomes its leader: the role's query
 * function, notifier config and rule files, plus the two things given here. The engine must not
 * be started ({@link AlertEngine#start()}); {@link ClusterAlerting} ticks it while it leads.
 */
@FunctionalInterface
public interface AlertEngineFactory {
  /**
   * Returns an engine for {@code tenant} on {@code dataDir} (already holding the replicated state)
   * built with {@link dev.sextant.alert.AlertEngineBuilder#stateListener}{@code (state)}, rules
   * loaded.
   */
  AlertEngine create(String tenant, Path dataDir, StateListener state) throws Exception;
}
