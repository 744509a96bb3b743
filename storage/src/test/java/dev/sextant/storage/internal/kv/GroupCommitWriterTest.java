package dev.sextant.storage.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class GroupCommitWriterTest {
  @TempDir
  Path dir;

  private Options options;
  private RocksDB db;

  @BeforeEach
  void open() throws Exception {
    RocksDB.loadLibrary();
    options = new Options().setCreateIfMissing(true);
    db = RocksDB.open(options, dir.toString());
  }

  @AfterEach
  void close() {
    db.close();
    options.close();
  }

  private static BatchBuilder put(String key) {
    BatchBuilder b = new BatchBuilder(32);
    b.put(0, key.getBytes(StandardCharsets.UTF_8), new byte[] {1});
    return b;
  }

  private byte[] get(String key) throws Exception {
    return db.get(key.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void submit_completesOnceTheBatchIsWritten() throws Exception {
    try (GroupCommitWriter<BatchBuilder> w = GroupCommitWriter.forBatches(db, "test", 1 << 20)) {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        BatchBuilder b = put("k" + i);
        done.add(w.submit(b, b.sizeBytes()));
      }
      CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).join();
      for (int i = 0; i < 100; i++) {
        assertThat(get("k" + i)).as("k" + i).isNotNull();
      }
      assertThat(w.pendingBytes()).isZero();
    }
  }

  @Test
  void submit_overTheBudgetIsRefusedRetryably() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (GroupCommitWriter<BatchBuilder> w = GroupCommitWriter.forBatches(db, "test", 100)) {
      // Holds the writer thread, so what is submitted next stays queued.
      CompletableFuture<Void> blocker = CompletableFuture.runAsync(() -> w.run(() -> {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      started.await();
      BatchBuilder first = put("a");
      CompletableFuture<Void> queued = w.submit(first, 60);
      CompletableFuture<Void> refused = w.submit(put("b"), 60);
      assertThatThrownBy(refused::join).hasCauseInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("storage write queue: over 100 bytes pending (retry later)");
      release.countDown();
      blocker.join();
      queued.join();
      assertThat(get("a")).isNotNull();
      assertThat(get("b")).isNull();
    }
  }

  @Test
  void run_runsAfterTheWritesQueuedBeforeIt() throws Exception {
    try (GroupCommitWriter<BatchBuilder> w = GroupCommitWriter.forBatches(db, "test", 1 << 20)) {
      BatchBuilder b = put("before");
      CompletableFuture<Void> write = w.submit(b, b.sizeBytes());
      byte[][] seen = new byte[1][];
      w.run(() -> {
        try {
          seen[0] = get("before");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(write).isDone();
      assertThat(seen[0]).isNotNull();
      assertThatThrownBy(() -> w.run(() -> {
        throw new IllegalStateException("task failed");
      })).isInstanceOf(IllegalStateException.class).hasMessage("task failed");
    }
  }

  @Test
  void committer_seesTheOutcomeBeforeTheFuturesComplete_andAFailureFailsTheGroup() {
    List<String> events = new ArrayList<>();
    GroupCommitWriter.Committer<String> committer = new GroupCommitWriter.Committer<>() {
      @Override
      public long weight(String write) {
        return 1;
      }

      @Override
      public BatchBuilder batch(List<String> group) {
        if (group.contains("bad")) {
          throw new IllegalArgumentException("bad write");
        }
        BatchBuilder b = new BatchBuilder(32);
        for (String k : group) {
          b.put(0, k.getBytes(StandardCharsets.UTF_8), new byte[] {1});
        }
        return b;
      }

      @Override
      public void written(List<String> group, @Nullable Throwable failure) {
        events.add("written " + group + (failure == null ? "" : " failed"));
      }
    };
    GroupCommitWriter<String> w =
        new GroupCommitWriter<>(db, "test", "test store", committer, 1 << 20, 1, true);
    try (w) {
      w.start();
      w.submit("good", 10).thenRun(() -> events.add("acknowledged good")).join();
      assertThatThrownBy(() -> w.submit("bad", 10).join())
          .isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(StorageException.class)
          .hasMessageContaining("test store write failed: bad write");
      assertThat(events).containsExactly("written [good]", "acknowledged good",
          "written [bad] failed");
    }
    assertThatThrownBy(() -> w.submit("late", 10).join())
        .hasCauseInstanceOf(RejectedExecutionException.class)
        .hasMessageContaining("test store is closed");
  }
}
