package dev.sextant.cluster;

import dev.sextant.cluster.internal.CorruptRecordException;
import dev.sextant.cluster.internal.WireReader;
import dev.sextant.cluster.internal.WireWriter;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cursor of a page merged from several stores: for each store that still holds matching
 * records, where its next page starts. A store absent from the cursor has nothing more (a store
 * added to the cluster after the first page is not asked by later pages of that search). Encoded
 * as base64url of a version byte and, per store, its URL, its own cursor, how many records of the
 * page from that cursor were already returned, and the time of the last one with how many
 * records of that time were returned: records are skipped by time rather than by count, so an
 * older record inserted meanwhile cannot make a record repeat.
 */
final class LogCursor {
  private static final int VERSION = 1;

  /**
   * A store's position: its page from {@code cursor} minus what was returned, i.e. the records
   * newer than {@code lastTime} and the first {@code atLastTime} at {@code lastTime};
   * {@code taken} sizes the next request.
   */
  record Position(String cursor, int taken, long lastTime, int atLastTime) {
    static final Position START = new Position("", 0, Long.MAX_VALUE, 0);
  }

  private LogCursor() {}

  static String encode(Map<URI, Position> positions) {
    WireWriter w = new WireWriter(64);
    w.writeByte(VERSION);
    w.writeVarInt(positions.size());
    positions.forEach((store, p) -> {
      w.writeString(store.toString());
      w.writeString(p.cursor());
      w.writeVarInt(p.taken());
      w.writeFixed64(p.lastTime());
      w.writeVarInt(p.atLastTime());
    });
    return Base64.getUrlEncoder().withoutPadding().encodeToString(w.toByteArray());
  }

  /** The positions; {@link IllegalArgumentException} for a cursor not made by {@link #encode}. */
  static Map<URI, Position> decode(String cursor) {
    try {
      WireReader r = new WireReader(Base64.getUrlDecoder().decode(cursor));
      if (r.readByte() != VERSION) {
        throw new CorruptRecordException("version");
      }
      int n = r.readCount(12);
      Map<URI, Position> out = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        URI store = URI.create(r.readString());
        out.put(store, new Position(r.readString(), r.readVarInt(), r.readFixed64(),
            r.readVarInt()));
      }
      if (r.hasRemaining()) {
        throw new CorruptRecordException("trailing bytes");
      }
      return out;
    } catch (IllegalArgumentException | CorruptRecordException e) {
      throw new IllegalArgumentException(
          "cursor: " + cursor + " (expected: a nextCursor of a page)", e);
    }
  }
}
