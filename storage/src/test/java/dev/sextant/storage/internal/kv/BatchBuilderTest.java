package dev.sextant.storage.internal.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

class BatchBuilderTest {
  @TempDir
  Path dir;

  @Test
  void toBytes_isAcceptedByRocksDbAsOneBatch() throws Exception {
    RocksDB.loadLibrary();
    BatchBuilder a = new BatchBuilder(16);
    a.put(0, "k1".getBytes(UTF_8), "v1".getBytes(UTF_8));
    BatchBuilder b = new BatchBuilder(16);
    b.put(0, "k2".getBytes(UTF_8), new byte[300]);
    b.delete(0, "k1".getBytes(UTF_8));
    a.append(b);
    assertThat(a.count()).isEqualTo(3);
    try (Options o = new Options().setCreateIfMissing(true);
         RocksDB db = RocksDB.open(o, dir.toString());
         WriteBatch wb = new WriteBatch(a.toBytes());
         WriteOptions wo = new WriteOptions()) {
      assertThat(wb.count()).isEqualTo(3);
      db.write(wo, wb);
      assertThat(db.get("k1".getBytes(UTF_8))).isNull();
      assertThat(db.get("k2".getBytes(UTF_8))).hasSize(300);
    }
  }
}
