package dev.sextant.storage.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TestSpans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/** A data directory written by another build opens, and what this one does not know is kept. */
class UnknownFamiliesTest {
  private static final List<String> DBS = List.of("traces", "logs/rocks", "metrics");

  @TempDir
  Path dir;

  @Test
  void open_keepsFamiliesThisVersionDoesNotUse() throws Exception {
    String trace = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(
          TestSpans.span(trace, "1000000000000001", "", "a", "root", 1000, 50))).join();
    }
    for (String db : DBS) {
      addFamily(dir.resolve(db), "raw");
    }

    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(s.traceReader().getTrace(trace)).extracting(Span::name).containsExactly("root");
    }
    for (String db : DBS) {
      assertThat(BlockFamilies.existing(dir.resolve(db))).as(db).contains("raw");
    }
  }

  private static void addFamily(Path db, String name) throws Exception {
    List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
    try (ColumnFamilyOptions cfo = new ColumnFamilyOptions(); DBOptions o = new DBOptions()) {
      for (String existing : BlockFamilies.existing(db)) {
        cfs.add(new ColumnFamilyDescriptor(existing.getBytes(StandardCharsets.UTF_8), cfo));
      }
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB rdb = RocksDB.open(o, db.toString(), cfs, handles)) {
        handles.add(rdb.createColumnFamily(
            new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfo)));
        rdb.put(handles.get(handles.size() - 1), new byte[] {1}, new byte[] {2});
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
