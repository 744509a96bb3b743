package dev.sextant.storage.internal.kv;

/**
 * Builds a RocksDB write batch in its serialized form in Java memory, so a whole request (or a
 * group of requests) crosses JNI once, as {@code new WriteBatch(bytes)}, instead of once per put.
 *
 * <p>Format (rocksdb/db/write_batch.cc): fixed64 sequence, fixed32 count, then records:
 * {@code kTypeColumnFamilyValue (0x5), varint32 cf id, varstring key, varstring value}.
 */
public final class BatchBuilder {
  private static final int HEADER = 12;
  private static final int TYPE_VALUE = 0x1;
  private static final int TYPE_CF_VALUE = 0x5;
  private static final int TYPE_CF_DELETION = 0x4;
  private static final int TYPE_DELETION = 0x0;

  private final ByteWriter w;
  private int count;

  public BatchBuilder(int initialCapacity) {
    w = new ByteWriter(initialCapacity + HEADER);
    w.writeBytes(new byte[HEADER]);
  }

  public void put(int columnFamilyId, byte[] key, byte[] value) {
    put(columnFamilyId, key, 0, key.length, value, 0, value.length);
  }

  public void put(int cf, byte[] key, int koff, int klen, byte[] value, int voff, int vlen) {
    if (cf == 0) {
      w.writeByte(TYPE_VALUE);
    } else {
      w.writeByte(TYPE_CF_VALUE);
      w.writeVarInt(cf);
    }
    w.writeLengthPrefixed(key, koff, klen);
    w.writeLengthPrefixed(value, voff, vlen);
    count++;
  }

  public void delete(int cf, byte[] key) {
    if (cf == 0) {
      w.writeByte(TYPE_DELETION);
    } else {
      w.writeByte(TYPE_CF_DELETION);
      w.writeVarInt(cf);
    }
    w.writeLengthPrefixed(key, 0, key.length);
    count++;
  }

  /** Appends every record of {@code other}. */
  public void append(BatchBuilder other) {
    w.writeBytes(other.w.array(), HEADER, other.w.size() - HEADER);
    count += other.count;
  }

  public int count() {
    return count;
  }

  public int sizeBytes() {
    return w.size();
  }

  /** The serialized batch, header patched with the record count. */
  public byte[] toBytes() {
    w.setFixed32LE(8, count);
    return w.toByteArray();
  }
}
