package dev.sextant.storage;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the records the search indexes refused: records Lucene would not take (one of its
 * limits, an {@link IllegalArgumentException} from {@code IndexWriter.addDocument}) stay in
 * RocksDB, readable by trace ID, but are left out of the search index so that they never block
 * the other records of their batch nor the store's recovery at open. Each is logged once, with
 * its ID, when it is skipped.
 *
 * <p>One instance per store and signal; the totals over every store of the JVM are what the
 * server's {@code /metrics} reports ({@code sextant_storage_unindexed_records_total}).
 */
public final class UnindexedRecords {
  private static final Logger log = LoggerFactory.getLogger(UnindexedRecords.class);
  private static final AtomicLong SPANS = new AtomicLong();
  private static final AtomicLong LOG_RECORDS = new AtomicLong();

  private final AtomicLong count = new AtomicLong();
  private final AtomicLong total;
  private final String what;

  private UnindexedRecords(AtomicLong total, String what) {
    this.total = total;
    this.what = what;
  }

  /** A counter of one store's spans. */
  public static UnindexedRecords spans() {
    return new UnindexedRecords(SPANS, "span");
  }

  /** A counter of one store's log records. */
  public static UnindexedRecords logRecords() {
    return new UnindexedRecords(LOG_RECORDS, "log record");
  }

  /** Spans skipped by every store of this JVM since it started. */
  public static long spansTotal() {
    return SPANS.get();
  }

  /** Log records skipped by every store of this JVM since it started. */
  public static long logRecordsTotal() {
    return LOG_RECORDS.get();
  }

  /**
   * Counts and logs one skipped record.
   *
   * @param id how to find the record: a trace/span ID, a log record's time and sequence
   */
  public void skipped(String id, Exception cause) {
    count.incrementAndGet();
    total.incrementAndGet();
    log.warn("{} {}: not indexed (kept in storage, left out of search): {}", what, id,
        cause.getMessage());
  }

  /** Records skipped by this store since it was opened. */
  public long count() {
    return count.get();
  }
}
