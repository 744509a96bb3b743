package dev.sextant.cluster.alerting;

/**
 * Told when this member becomes the leader of its group and when it stops being it. Both run on
 * the election's thread, one at a time, strictly alternating ({@code elected}, {@code revoked},
 * {@code elected}, ...). {@code revoked} must stop all leader work before it returns: Kafka gives
 * the partition to another member only after a live member's revocation returned.
 */
public interface LeadershipListener {
  /**
   * This member now leads. Throwing gives the leadership up (the member leaves and rejoins the
   * group); {@link #revoked()} is not called then.
   */
  void elected() throws Exception;

  /** This member no longer leads (revoked, lost, lease expired, stepped down or closed). */
  void revoked();
}
