package dev.sextant.cluster.internal;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The records of the {@code sextant.stores} topic (docs/cluster-record-format.md, "Store
 * announcements"): key {@code <storeGroup>/<name>} in UTF-8, value the version byte then the
 * fields of {@link Announcement}. A reader reads the fields of its version and ignores bytes after
 * them (a later version may append fields); a value of another version is refused.
 */
public final class StoreWire {
  /** The version this code writes and reads. */
  public static final int VERSION = 1;

  private StoreWire() {}

  /**
   * One store's announcement.
   *
   * @param url where the store's HTTP port is reached (its internal read API is below it)
   * @param storeGroup the store's consumer group, its zone (a second group is a second replica)
   * @param memberId the group member id the store's consumer had when it announced
   * @param instanceId its {@code group.instance.id}, null with dynamic membership
   * @param startedAtMillis when the store started announcing (epoch ms)
   * @param announcedAtMillis when this record was written (epoch ms)
   */
  public record Announcement(String url, String storeGroup, String memberId,
      @Nullable String instanceId, long startedAtMillis, long announcedAtMillis) {}

  public static byte[] key(String storeGroup, String name) {
    return (storeGroup + "/" + name).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] encode(Announcement a) {
    WireWriter w = new WireWriter(128);
    w.writeByte(VERSION);
    w.writeString(a.url());
    w.writeString(a.storeGroup());
    w.writeString(a.memberId());
    w.writeByte(a.instanceId() == null ? 0 : 1);
    if (a.instanceId() != null) {
      w.writeString(a.instanceId());
    }
    w.writeFixed64(a.startedAtMillis());
    w.writeFixed64(a.announcedAtMillis());
    return w.toByteArray();
  }

  /**
   * Decodes a value.
   *
   * @throws CorruptRecordException when it is truncated, garbled or of another version
   */
  public static Announcement decode(byte[] value) {
    WireReader r = new WireReader(value);
    int version = r.readByte();
    if (version != VERSION) {
      throw new CorruptRecordException("store announcement version " + version + " (expected: "
          + VERSION + ")");
    }
    String url = r.readString();
    String group = r.readString();
    String memberId = r.readString();
    int hasInstance = r.readByte();
    if (hasInstance > 1) {
      throw new CorruptRecordException("instance flag " + hasInstance + " (expected: 0 or 1)");
    }
    String instanceId = hasInstance == 1 ? r.readString() : null;
    long startedAt = r.readFixed64();
    long announcedAt = r.readFixed64();
    if (url.isEmpty() || group.isEmpty() || memberId.isEmpty()) {
      throw new CorruptRecordException("store announcement with an empty url, group or member id");
    }
    return new Announcement(url, group, memberId, instanceId, startedAt, announcedAt);
  }
}
