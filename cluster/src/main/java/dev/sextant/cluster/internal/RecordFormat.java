package dev.sextant.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The envelope of a record (docs/cluster-record-format.md): headers {@value #TENANT_HEADER} (the
 * tenant, UTF-8) and {@value #FORMAT_HEADER} (one byte, the format version), and a value that is a
 * sequence of items, each a varint length and the item's bytes in its signal's codec. Items of one
 * value belong to one tenant and one partition.
 */
public final class RecordFormat {
  public static final String TENANT_HEADER = "sextant.tenant";
  public static final String FORMAT_HEADER = "sextant.format";
  /**
   * What the items of a record are when not its topic's own kind: {@value #METADATA_ITEMS} on
   * {@code sextant.metrics} for metric metadata (a store older than this header skips such a
   * record as garbled, counting it, and loses only the metadata).
   */
  public static final String ITEMS_HEADER = "sextant.items";
  public static final String METADATA_ITEMS = "metadata";
  /** The version this code writes; it reads this one only (a reader meets a newer one: stop). */
  public static final int VERSION = 1;
  static final byte[] VERSION_BYTES = {VERSION};

  private RecordFormat() {}

  public static byte[] versionHeader() {
    return VERSION_BYTES.clone();
  }

  public static byte[] tenantHeader(String tenant) {
    return tenant.getBytes(StandardCharsets.UTF_8);
  }

  /** The tenant header's value, or null when the record has none. */
  public static String tenant(Headers headers) {
    Header h = headers.lastHeader(TENANT_HEADER);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The items header's value, or null when the record has none (its topic's own kind). */
  public static @Nullable String items(Headers headers) {
    Header h = headers.lastHeader(ITEMS_HEADER);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** The format version of a record, or -1 when it has no version header. */
  public static int version(Headers headers) {
    Header h = headers.lastHeader(FORMAT_HEADER);
    return h == null || h.value() == null || h.value().length != 1 ? -1 : h.value()[0] & 0xFF;
  }

  /**
   * Packs encoded items into record values of at most {@code maxBytes} each (an item larger than
   * that alone gets a value of its own, which the broker may refuse as too large).
   */
  public static List<byte[]> pack(List<byte[]> items, int maxBytes) {
    List<byte[]> values = new ArrayList<>(1);
    WireWriter w = new WireWriter(Math.min(maxBytes, 64 * 1024));
    for (byte[] item : items) {
      int itemBytes = item.length + 5;
      if (w.size() > 0 && w.size() + itemBytes > maxBytes) {
        values.add(w.toByteArray());
        w.reset();
      }
      w.writeBytes(item);
    }
    if (w.size() > 0) {
      values.add(w.toByteArray());
    }
    return values;
  }

  /** Readers over the items of {@code value}, in order. */
  public static List<WireReader> items(byte[] value) {
    List<WireReader> items = new ArrayList<>();
    WireReader r = new WireReader(value);
    while (r.hasRemaining()) {
      items.add(r.readNested());
    }
    return items;
  }
}
