package dev.sextant.cluster;

import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A log partition held by two stores at once (one rebuilt it from Kafka after the other was
 * killed; the other came back still holding it), read through {@link RemoteStorage} in pages:
 * each record comes once, also when a page ends on a record whose copy the other store holds
 * next. Found by ClusterChaosTest (server): one record of ~2200 read twice, at a page boundary.
 */
class RemoteLogCopiesAcrossPagesTest {
  @TempDir
  Path dir;

  @Test
  void search_sameRecordsOnTwoStores_eachRecordOnceInEveryPageSize() {
    try (ReadCluster cluster = new ReadCluster(dir, 2);
        RemoteStorage remote = cluster.remote().build()) {
      List<LogRecord> records = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        records.add(LogRecord.builder().timeUnixNano(NOW + i * SECOND)
            .observedTimeUnixNano(NOW + i * SECOND).body("copied " + i).serviceName("svc")
            .build());
      }
      for (int node = 0; node < 2; node++) {
        cluster.storeOf(node, StoreReadService.DEFAULT_TENANT).logConsumer().accept(records)
            .join();
      }
      List<String> expected = records.stream()
          .sorted(Comparator.comparingLong(LogRecord::timeUnixNano).reversed())
          .map(LogRecord::body).toList();
      for (int limit : new int[] {1, 2, 3, 5, 7, 12, 100}) {
        assertThat(pages(remote, limit)).as("pages of " + limit).isEqualTo(expected);
      }
    }
  }

  private static List<String> pages(RemoteStorage remote, int limit) {
    List<String> out = new ArrayList<>();
    String cursor = "";
    do {
      LogPage page = remote.logReader().search(new LogQuery("", 0, "", "", "", "", Map.of(),
          0, Long.MAX_VALUE, limit, cursor));
      assertThat(page.records()).hasSizeLessThanOrEqualTo(limit);
      page.records().forEach(r -> out.add(r.body()));
      cursor = page.nextCursor();
    } while (!cursor.isEmpty());
    return out;
  }
}
