package dev.sextant.cluster;

import dev.sextant.cluster.internal.SeriesWire;
import dev.sextant.cluster.internal.WireWriter;
import dev.sextant.storage.metrics.Labels;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition an item goes to: Kafka's own default partitioner function over the item's key
 * ({@code murmur2(key) & 0x7fffffff % partitions}), so the partition is the one Kafka would pick
 * for a record keyed that way, and any Kafka tool can compute it. Spans, and logs with a trace
 * ID, are keyed by the trace ID's 16 bytes: a trace, with its logs, lives in one partition, and a
 * query for a trace ID asks only the store that owns {@code partition(traceKey(id), n)}. Series
 * are keyed by their labels, so a series' samples stay in order in one partition. Logs without a
 * trace ID are keyed by their own encoded bytes (see {@link KafkaSink}).
 */
public final class Partitioning {
  private static final HexFormat HEX = HexFormat.of();

  private Partitioning() {}

  /** The partition of {@code key} among {@code partitions}. */
  public static int partition(byte[] key, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions: " + partitions + " (expected: > 0)");
    }
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /**
   * The key of a trace: the ID's bytes (hex, either case); an ID that is not hex of even length
   * is keyed by its lowercase UTF-8 text, so every ID has a partition.
   */
  public static byte[] traceKey(String traceId) {
    String id = traceId.toLowerCase(Locale.ROOT);
    if (!id.isEmpty() && id.length() % 2 == 0) {
      try {
        return HEX.parseHex(id);
      } catch (IllegalArgumentException notHex) {
        // falls through to the text form
      }
    }
    return id.getBytes(StandardCharsets.UTF_8);
  }

  /** The key of a series: its labels in the record format (names sorted). */
  public static byte[] seriesKey(Labels labels) {
    WireWriter w = new WireWriter(64);
    SeriesWire.writeLabels(labels, w);
    return w.toByteArray();
  }
}
