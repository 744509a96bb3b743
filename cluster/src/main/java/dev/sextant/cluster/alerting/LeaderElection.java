package dev.sextant.cluster.alerting;

/**
 * Leader election through a Kafka consumer group on a single-partition topic: the member that
 * Kafka assigns partition 0 leads. Nothing is ever written to the topic; Kafka's group protocol
 * (classic, cooperative-sticky assignment so that a joining member does not move the leadership)
 * is the whole mechanism.
 *
 * <p>Fencing: a live leader loses the partition only through a rebalance in which it first runs
 * {@link LeadershipListener#revoked()}; the next leader is assigned after that. A leader that is
 * cut off (paused, partitioned, or its broker gone) holds a lease instead: each successful
 * offset commit (which the group coordinator accepts only from the current generation's member,
 * and which counts as a heartbeat) extends it to {@code commit sent + 2/3 of the session
 * timeout}; the coordinator gives the partition away no earlier than a full session timeout after
 * the last heartbeat or commit it received. {@link #isLeader()} is false once the lease lapsed,
 * and the election then revokes and rejoins. See docs/cluster-alerting.md.
 */
public interface LeaderElection extends AutoCloseable {
  /**
   * Starts building an election of the group {@code groupId} on {@code topic} (one partition,
   * see {@link AlertTopics}) at {@code bootstrapServers}, telling {@code listener}.
   */
  static LeaderElectionBuilder builder(String bootstrapServers, String topic, String groupId,
      LeadershipListener listener) {
    return new LeaderElectionBuilder(bootstrapServers, topic, groupId, listener);
  }

  /** Joins the group on a background thread. */
  void start();

  /** Whether this member leads now: elected, not revoked, and its lease not expired. */
  boolean isLeader();

  /**
   * Gives the leadership up from any thread (e.g. after a failed or fenced state write): the
   * election thread revokes, leaves the group and joins again.
   */
  void stepDown();

  /** Stops as a crashed process would: no revocation sent, the group notices by the session timeout. */
  void halt();

  /** Revokes (when leading), leaves the group and stops the thread. */
  @Override
  void close();
}
