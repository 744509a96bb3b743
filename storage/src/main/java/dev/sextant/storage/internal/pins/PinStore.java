package dev.sextant.storage.internal.pins;

import dev.sextant.storage.Ids;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Pin;
import dev.sextant.storage.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.internal.kv.ByteReader;
import dev.sextant.storage.internal.kv.ByteWriter;
import dev.sextant.storage.internal.logs.LogCodec;
import dev.sextant.storage.internal.spans.SpanCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The pin RocksDB ({@code <data>/pins}): pins in the default column family (key {@code p/<id>}),
 * span copies in {@code spans} (key trace ID + span ID, the span codec's value), log copies in
 * {@code logs} (key {@code <target> NUL <time> <n>}, the log codec's value). Nothing here is in
 * a time block, so retention never drops it; every write is synced, as an incident's evidence
 * must survive a crash. Small by design ({@link dev.sextant.storage.Pins#MAX_PINS}).
 */
public final class PinStore implements AutoCloseable {
  private static final byte[] PIN_PREFIX = "p/".getBytes(StandardCharsets.UTF_8);
  private static final int VERSION = 1;

  static {
    RocksDB.loadLibrary();
  }

  private final DBOptions options;
  private final ColumnFamilyOptions cfOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final WriteOptions sync = new WriteOptions().setSync(true);

  private PinStore(DBOptions options, ColumnFamilyOptions cfOptions, RocksDB db,
      List<ColumnFamilyHandle> handles) {
    this.options = options;
    this.cfOptions = cfOptions;
    this.db = db;
    this.handles = handles;
  }

  /** Opens or creates the store in {@code dir}. */
  public static PinStore open(Path dir) {
    DBOptions options = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true).setKeepLogFileNum(2);
    ColumnFamilyOptions cf = new ColumnFamilyOptions();
    try {
      Files.createDirectories(dir);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB db = RocksDB.open(options, dir.toString(), List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cf),
          new ColumnFamilyDescriptor("spans".getBytes(StandardCharsets.UTF_8), cf),
          new ColumnFamilyDescriptor("logs".getBytes(StandardCharsets.UTF_8), cf)), handles);
      return new PinStore(options, cf, db, handles);
    } catch (RocksDBException | IOException e) {
      cf.close();
      options.close();
      throw new StorageException("cannot open pin store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Every pin, in key order. */
  public List<Pin> pins() {
    List<Pin> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(handles.get(0))) {
      for (it.seek(PIN_PREFIX); it.isValid() && startsWith(it.key(), PIN_PREFIX); it.next()) {
        out.add(decodePin(it.value()));
      }
    }
    return out;
  }

  /** The pin {@code id}, or null. */
  public @Nullable Pin pin(String id) {
    try {
      byte[] v = db.get(handles.get(0), pinKey(id));
      return v == null ? null : decodePin(v);
    } catch (RocksDBException e) {
      throw new StorageException("reading pin " + id + ": " + e.getMessage(), e);
    }
  }

  /** Writes the pin and the copies of its target (added to those kept already), durably. */
  public void put(Pin pin, List<Span> spans, List<LogRecord> logs) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(handles.get(0), pinKey(pin.id()), encodePin(pin));
      ByteWriter w = new ByteWriter(512);
      for (Span s : spans) {
        w.reset();
        SpanCodec.encode(s, w);
        batch.put(handles.get(1), spanKey(s.traceId(), s.spanId()), w.toByteArray());
      }
      byte[] prefix = logPrefix(pin.target());
      for (LogRecord r : logs) {
        w.reset();
        LogCodec.encode(r, w);
        batch.put(handles.get(2), logKey(prefix, r), w.toByteArray());
      }
      db.write(sync, batch);
    } catch (RocksDBException e) {
      throw new StorageException("writing pin " + pin.id() + ": " + e.getMessage(), e);
    }
  }

  /** Updates the pin alone. */
  public void update(Pin pin) {
    put(pin, List.of(), List.of());
  }

  /**
   * Deletes the pin and, when {@code dropCopies}, the copies of its target, durably.
   */
  public void delete(Pin pin, boolean dropCopies) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(handles.get(0), pinKey(pin.id()));
      if (dropCopies) {
        if (!pin.traceId().isEmpty()) {
          byte[] from = Ids.fromHex(pin.traceId());
          batch.deleteRange(handles.get(1), from, increment(from));
        }
        byte[] prefix = logPrefix(pin.target());
        batch.deleteRange(handles.get(2), prefix, increment(prefix));
      }
      db.write(sync, batch);
    } catch (RocksDBException e) {
      throw new StorageException("deleting pin " + pin.id() + ": " + e.getMessage(), e);
    }
  }

  /** The kept copies of the trace's spans, at most {@code limit}. */
  public List<Span> spans(String traceId, int limit) {
    byte[] prefix = Ids.fromHex(traceId);
    List<Span> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(handles.get(1))) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix) && out.size() < limit;
          it.next()) {
        byte[] k = it.key();
        out.add(SpanCodec.decode(Arrays.copyOf(k, 16), Arrays.copyOfRange(k, 16, 24),
            it.value()));
      }
    }
    return out;
  }

  /** The kept log lines of a target ({@link Pin#target()}), in time order. */
  public List<LogRecord> logs(String target) {
    byte[] prefix = logPrefix(target);
    List<LogRecord> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(handles.get(2))) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        out.add(LogCodec.decode(it.value()));
      }
    }
    return out;
  }

  private static byte[] pinKey(String id) {
    return ("p/" + id).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] spanKey(String traceId, String spanId) {
    return ByteBuffer.allocate(24).put(Ids.fromHex(traceId)).put(Ids.fromHex(spanId)).array();
  }

  private static byte[] logPrefix(String target) {
    byte[] t = target.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(t, t.length + 1); // NUL-terminated: "t<id>" is no prefix of another
  }

  /** Two lines of one time and one body are one line: a re-pin writes the same keys again. */
  private static byte[] logKey(byte[] prefix, LogRecord r) {
    return ByteBuffer.allocate(prefix.length + 16).put(prefix).putLong(r.effectiveTimeUnixNano())
        .putInt(r.body().hashCode()).putInt(r.spanId().hashCode()).array();
  }

  /** The least key above every key that starts with {@code prefix}. */
  private static byte[] increment(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] up = Arrays.copyOf(prefix, i + 1);
        up[i]++;
        return up;
      }
    }
    byte[] up = Arrays.copyOf(prefix, prefix.length + 9); // all 0xff: above its 24-byte keys
    Arrays.fill(up, prefix.length, up.length, (byte) 0xff);
    return up;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] encodePin(Pin p) {
    ByteWriter w = new ByteWriter(256);
    w.writeByte(VERSION);
    w.writeString(p.id());
    w.writeString(p.traceId());
    w.writeString(p.correlationId());
    w.writeString(p.incidentId());
    w.writeString(p.reason());
    w.writeString(p.pinnedBy());
    w.writeFixed64(p.createdAtMillis());
    w.writeFixed64(p.resolvedAtMillis());
    w.writeFixed64(p.expiresAtMillis());
    w.writeVarInt(p.spans());
    w.writeVarInt(p.logs());
    return w.toByteArray();
  }

  private static Pin decodePin(byte[] v) {
    ByteReader r = new ByteReader(v);
    int version = r.readByte();
    if (version != VERSION) {
      throw new StorageException("pin: version " + version + " (expected: " + VERSION + ")");
    }
    return new Pin(r.readString(), r.readString(), r.readString(), r.readString(),
        r.readString(), r.readString(), r.readFixed64(), r.readFixed64(), r.readFixed64(),
        r.readVarInt(), r.readVarInt());
  }

  @Override
  public void close() {
    sync.close();
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    cfOptions.close();
    options.close();
  }
}
