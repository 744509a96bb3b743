package dev.sextant.cluster;

import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that arrives between two pages, on a store that gave nothing to the first page, does
 * not shift the second page. The storage kit's {@code logSearch_newerRecordsDoNotShiftLaterPages}
 * failed now and then over two stores: where its records landed depends on their observed time.
 */
class RemoteLogNewerRecordsTest {
  @TempDir
  Path dir;

  @Test
  void search_newerRecordOnAStoreTheFirstPageDidNotTouch_laterPagesUnchanged() {
    try (ReadCluster cluster = new ReadCluster(dir, 2);
        RemoteStorage remote = cluster.remote().build()) {
      // store 0 holds the newest three, store 1 the oldest three
      for (int i = 0; i < 6; i++) {
        cluster.storeOf(i < 3 ? 1 : 0, StoreReadService.DEFAULT_TENANT).logConsumer()
            .accept(List.of(record("r" + i, i))).join();
      }
      LogPage first = remote.logReader().search(query(3, ""));
      assertThat(first.records()).extracting(LogRecord::body).containsExactly("r5", "r4", "r3");

      cluster.storeOf(1, StoreReadService.DEFAULT_TENANT).logConsumer()
          .accept(List.of(record("newest", 100))).join();
      LogPage second = remote.logReader().search(query(3, first.nextCursor()));

      assertThat(second.records()).extracting(LogRecord::body).containsExactly("r2", "r1", "r0");
      assertThat(second.nextCursor()).as("the record that arrived later is not on a later page")
          .isEmpty();
    }
  }

  private static LogRecord record(String body, int second) {
    return LogRecord.builder().timeUnixNano(NOW + second * SECOND)
        .observedTimeUnixNano(NOW + second * SECOND).body(body).serviceName("svc").build();
  }

  private static LogQuery query(int limit, String cursor) {
    return new LogQuery("", 0, "", "", "", "", Map.of(), 0, Long.MAX_VALUE, limit, cursor);
  }
}
