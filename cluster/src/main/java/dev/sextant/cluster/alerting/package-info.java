/**
 * The alert role's high availability on Kafka (issue 16): per tenant, exactly one node evaluates
 * rules and pages. {@link dev.sextant.cluster.alerting.LeaderElection} elects it through a Kafka
 * consumer group on a single-partition topic (the member owning partition 0 leads, under a lease
 * renewed by generation-checked offset commits); the leader's engine state (alert states,
 * silences, notification log, outbox) goes to a compacted topic through a transactional producer
 * whose {@code transactional.id} fences an older leader; every node reads that topic continuously
 * so the next leader rebuilds the engine's directory from it. {@link
 * dev.sextant.cluster.alerting.ClusterAlerting} wires both for the {@code alert} role. See
 * docs/cluster-alerting.md.
 */
package dev.sextant.cluster.alerting;
