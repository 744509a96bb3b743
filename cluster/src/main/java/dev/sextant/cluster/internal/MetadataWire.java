package dev.sextant.cluster.internal;

import dev.sextant.storage.metrics.MetricMetadata;

/**
 * One metric's metadata in the record format and the read API: the metric name, the type's
 * ordinal in {@link MetricMetadata.Type} (one byte), the help text and the unit.
 */
public final class MetadataWire {
  private static final MetricMetadata.Type[] TYPES = MetricMetadata.Type.values();

  private MetadataWire() {}

  public static void encode(MetricMetadata m, WireWriter w) {
    w.writeString(m.metric());
    w.writeByte(m.type().ordinal());
    w.writeString(m.help());
    w.writeString(m.unit());
  }

  /**
   * @throws IllegalArgumentException when the bytes are not an item of this format
   */
  public static MetricMetadata decode(WireReader r) {
    String metric = r.readString();
    MetricMetadata.Type type = TYPES[SpanWire.index(r.readByte(), TYPES.length, "type")];
    return new MetricMetadata(metric, type, r.readString(), r.readString());
  }
}
