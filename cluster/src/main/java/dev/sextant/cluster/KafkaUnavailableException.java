package dev.sextant.cluster;

import dev.sextant.storage.StorageException;

/**
 * Kafka did not acknowledge every record of a write in time (broker down or unreachable, too few
 * in-sync replicas, the producer's buffer full): a retryable refusal. The collector answers it
 * with 503 / UNAVAILABLE and a retry hint, as it does every {@link StorageException}. Records of
 * the write other than the failed ones may have been acknowledged; retrying is safe for spans and
 * samples (stores deduplicate them), a retried log record may be stored twice.
 */
public final class KafkaUnavailableException extends StorageException {
  private static final long serialVersionUID = 1L;

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
