/**
 * Cluster mode's roles in the one server binary (issue 16, docs/cluster.md): which roles a node
 * runs ({@link dev.sextant.server.cluster.Role}, {@link dev.sextant.server.cluster.ClusterSettings}),
 * the collector role's writers to Kafka ({@link dev.sextant.server.cluster.CollectorRole}), the
 * store role's consumer ({@link dev.sextant.server.cluster.StoreRole}), the alert role's elected
 * engines ({@link dev.sextant.server.cluster.AlertRole}), their health checks and
 * metrics, and the two places the query side of cluster mode plugs in
 * ({@link dev.sextant.server.cluster.ClusterReads}). Only wiring: the work is the cluster
 * module's.
 */
package dev.sextant.server.cluster;
