package dev.sextant.storage.embedded;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.Pins;
import dev.sextant.storage.Retention;
import dev.sextant.storage.SourcePositions;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.internal.logs.LogStore;
import dev.sextant.storage.internal.metrics.TsdbStore;
import dev.sextant.storage.internal.pins.PinStore;
import dev.sextant.storage.internal.spans.SpanStore;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.SeriesLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded storage: a store per signal, each in its own directory of {@code dataDir} (spans in
 * {@code traces} with their indexes in {@code search}, {@code logs}, {@code metrics}), and the
 * retention job that drops and seals their blocks. Stores are closed in reverse order of opening.
 */
public final class DefaultEmbeddedStorage implements EmbeddedStorage {
  private static final Logger log = LoggerFactory.getLogger(DefaultEmbeddedStorage.class);

  private final SpanStore spans;
  private final LogStore logs;
  private final TsdbStore metrics;
  private final PinStore pinStore;
  private final DefaultPins pins;
  private final TraceReader traceReader;
  private final LogReader logReader;
  private final LongSupplier nowMillis;
  private final long blockMillis;
  private final Retention retention;
  private final ScheduledExecutorService retentionJob;
  private volatile boolean closed;

  private DefaultEmbeddedStorage(Path dataDir, long maxPendingWriteBytes, Retention retention,
      Duration retentionInterval, Duration blockDuration, LongSupplier nowMillis,
      SeriesLimits seriesLimits, Duration keepPinsAfterResolve)
      throws RocksDBException, IOException {
    this.retention = retention;
    this.nowMillis = nowMillis;
    this.blockMillis = blockDuration.toMillis();
    spans = SpanStore.open(dataDir.resolve("traces"), dataDir.resolve("search"),
        maxPendingWriteBytes, blockMillis, nowMillis);
    logs = LogStore.open(dataDir.resolve("logs"), maxPendingWriteBytes, 5_000, blockMillis);
    metrics = TsdbStore.open(dataDir.resolve("metrics"), TsdbStore.CHUNK_SAMPLES,
        TsdbStore.CHUNK_SPAN_MILLIS, maxPendingWriteBytes, true, blockMillis, seriesLimits);
    pinStore = PinStore.open(dataDir.resolve("pins"));
    pins = new DefaultPins(pinStore, spans.reader(), logs, keepPinsAfterResolve.toMillis());
    traceReader = new PinnedTraceReader(spans.reader(), pins);
    logReader = new PinnedLogReader(logs, pins);
    // Started last: its first run (right away) touches every store.
    retentionJob = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sextant-retention");
      t.setDaemon(true);
      return t;
    });
    retentionJob.scheduleWithFixedDelay(this::applyRetentionQuietly, 0,
        retentionInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Opens the storage.
   *
   * @param blockDuration time span of one block of every signal
   * @param nowMillis the clock that picks blocks and decides what expired (tests move it)
   * @throws StorageException when a store cannot be opened (locked by another process, I/O)
   */
  public static DefaultEmbeddedStorage open(Path dataDir, long maxPendingWriteBytes,
      Retention retention, Duration retentionInterval, Duration blockDuration,
      LongSupplier nowMillis, SeriesLimits seriesLimits) {
    return open(dataDir, maxPendingWriteBytes, retention, retentionInterval, blockDuration,
        nowMillis, seriesLimits, EmbeddedStorageBuilder.DEFAULT_KEEP_PINS);
  }

  /**
   * As above, with pins kept {@code keepPinsAfterResolve} after their incident resolved.
   */
  public static DefaultEmbeddedStorage open(Path dataDir, long maxPendingWriteBytes,
      Retention retention, Duration retentionInterval, Duration blockDuration,
      LongSupplier nowMillis, SeriesLimits seriesLimits, Duration keepPinsAfterResolve) {
    try {
      return new DefaultEmbeddedStorage(dataDir, maxPendingWriteBytes, retention,
          retentionInterval, blockDuration, nowMillis, seriesLimits, keepPinsAfterResolve);
    } catch (RocksDBException | IOException e) {
      throw new StorageException("cannot open storage in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** As above, without limits on new metric series. */
  public static DefaultEmbeddedStorage open(Path dataDir, long maxPendingWriteBytes,
      Retention retention, Duration retentionInterval, Duration blockDuration,
      LongSupplier nowMillis) {
    return open(dataDir, maxPendingWriteBytes, retention, retentionInterval, blockDuration,
        nowMillis, SeriesLimits.UNLIMITED);
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spans.consumer();
  }

  @Override
  public TraceReader traceReader() {
    return traceReader;
  }

  @Override
  public SpanSearch spanSearch() {
    return spans.search();
  }

  @Override
  public LogConsumer logConsumer() {
    return logs;
  }

  @Override
  public SourcePositions sourcePositions() {
    return logs;
  }

  @Override
  public LogReader logReader() {
    return logReader;
  }

  @Override
  public Pins pins() {
    return pins;
  }

  @Override
  public MetricWriter metricWriter() {
    return metrics;
  }

  @Override
  public MetricReader metricReader() {
    return metrics;
  }

  /** The span store (tests of its blocks). */
  public SpanStore spans() {
    return spans;
  }

  /**
   * One maintenance pass, as the periodic job runs it: drops the span blocks written more than the
   * trace retention before {@code nowMillis} (whole: column family and index directory), seals
   * the span blocks that ended more than {@link #sealGraceMillis()} ago, trims the span ingest
   * log, drops and seals log blocks (by record time) and metric blocks (by sample time)
   * likewise, and drops the pins that expired (their copies are outside the blocks).
   */
  public void applyRetention(long nowMillis) {
    spans.dropBlocksBefore(nowMillis - retention.traces().toMillis());
    spans.seal(nowMillis, sealGraceMillis());
    spans.trimIngestLog();
    logs.dropBlocksBefore(nowMillis - retention.logs().toMillis());
    logs.seal(nowMillis, sealGraceMillis());
    metrics.deleteBefore(nowMillis - retention.metrics().toMillis());
    metrics.seal(nowMillis - sealGraceMillis());
    pins.expire(nowMillis);
  }

  /**
   * How long after its end a block is sealed: long enough for writes accepted just before the end
   * to be durable and indexed. A tenth of the block duration, at least a second, at most 5 minutes.
   */
  public long sealGraceMillis() {
    return Math.max(1000, Math.min(blockMillis / 10, 5 * 60_000L));
  }

  @Override
  public void compactNow() {
    spans.compactAll();
    metrics.compactNow();
  }

  private void applyRetentionQuietly() {
    try {
      if (!closed) {
        applyRetention(nowMillis.getAsLong());
      }
    } catch (RuntimeException e) {
      log.warn("retention run failed: {}", e.toString());
    }
  }

  @Override
  public long unindexedRecords() {
    return spans.unindexed() + logs.unindexed().count();
  }

  @Override
  public void check() {
    if (closed) {
      throw new StorageException("storage is closed");
    }
    spans.check();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Not shutdownNow(): interrupting a running seal closes the Lucene lock's FileChannel
    // (NIO closes a channel on interrupt), and the index then cannot commit on close.
    retentionJob.shutdown();
    try {
      retentionJob.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pinStore.close();
    metrics.close();
    logs.close();
    spans.close();
  }
}
