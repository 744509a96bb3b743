package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.SECOND;
import static dev.sextant.storage.conformance.Fixtures.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link LogQuery#limit()} and {@link LogPage#nextCursor()}: pages that lose and repeat
 * nothing.
 */
public interface LogPagingContract extends StorageKit {

  private void writeNumbered(int n, boolean sameTime) {
    LogRecord[] records = new LogRecord[n];
    for (int i = 0; i < n; i++) {
      records[i] = log("a", "r" + i, sameTime ? 0 : i * SECOND).build();
    }
    write(records);
  }

  /** Every page of {@code limit} records, following cursors to the end. */
  private List<List<String>> pages(int limit) {
    List<List<String>> out = new ArrayList<>();
    String cursor = "";
    do {
      LogPage page = storage().logReader().search(LogQuery.builder().limit(limit)
          .cursor(cursor).build());
      out.add(page.records().stream().map(LogRecord::body).toList());
      cursor = page.nextCursor();
      assertThat(out).as("pages").hasSizeLessThan(100);
    } while (!cursor.isEmpty());
    return out;
  }

  private static List<String> numbered(int from, int downTo) {
    List<String> out = new ArrayList<>();
    for (int i = from; i >= downTo; i--) {
      out.add("r" + i);
    }
    return out;
  }

  @Test
  default void logSearch_limitCapsThePageAndSaysThereIsMore() {
    writeNumbered(5, false);

    LogPage page = storage().logReader().search(LogQuery.builder().limit(2).build());
    assertThat(page.records()).extracting(LogRecord::body).containsExactly("r4", "r3");
    assertThat(page.hasMore()).isTrue();
  }

  @Test
  default void logSearch_pagesWalkEveryRecordOnceNewestFirst() {
    writeNumbered(25, false);

    List<List<String>> pages = pages(10);
    assertThat(pages).hasSize(3);
    assertThat(pages.get(0)).containsExactlyElementsOf(numbered(24, 15));
    assertThat(pages.get(1)).containsExactlyElementsOf(numbered(14, 5));
    assertThat(pages.get(2)).containsExactlyElementsOf(numbered(4, 0));
  }

  @Test
  default void logSearch_pagesThroughRecordsOfTheSameTimeLoseNothing() {
    writeNumbered(10, true);

    assertThat(pages(3).stream().flatMap(List::stream).toList())
        .containsExactlyElementsOf(numbered(9, 0));
  }

  @Test
  default void logSearch_pageThatHoldsTheRestHasNoCursor() {
    writeNumbered(7, false);

    LogPage page = storage().logReader().search(LogQuery.builder().limit(7).build());
    assertThat(page.records()).hasSize(7);
    assertThat(page.nextCursor()).isEmpty();
    assertThat(storage().logReader().search(LogQuery.builder().limit(8).build()).hasMore())
        .isFalse();
  }

  @Test
  default void logSearch_pagesEndWhenRecordsFillTheLastPageExactly() {
    writeNumbered(20, false);

    List<List<String>> pages = pages(10);
    assertThat(pages).hasSize(2);
    assertThat(pages.get(0)).containsExactlyElementsOf(numbered(19, 10));
    assertThat(pages.get(1)).containsExactlyElementsOf(numbered(9, 0));
  }

  @Test
  default void logSearch_newerRecordsDoNotShiftLaterPages() {
    writeNumbered(6, false);
    LogPage first = storage().logReader().search(LogQuery.builder().limit(3).build());
    write(log("a", "newest", 100 * SECOND).build());

    LogPage second = storage().logReader().search(LogQuery.builder().limit(3)
        .cursor(first.nextCursor()).build());
    assertThat(second.records()).extracting(LogRecord::body).containsExactly("r2", "r1", "r0");
  }

  @Test
  default void logSearch_cursorKeepsTheQueryCriteria() {
    LogRecord[] records = new LogRecord[10];
    for (int i = 0; i < 10; i++) {
      records[i] = log(i % 2 == 0 ? "even" : "odd", "r" + i, i * SECOND).build();
    }
    write(records);

    LogPage first = storage().logReader().search(LogQuery.builder().serviceName("even")
        .limit(2).build());
    LogPage second = storage().logReader().search(LogQuery.builder().serviceName("even")
        .limit(2).cursor(first.nextCursor()).build());
    assertThat(first.records()).extracting(LogRecord::body).containsExactly("r8", "r6");
    assertThat(second.records()).extracting(LogRecord::body).containsExactly("r4", "r2");
  }

  @Test
  default void logSearch_rejectsACursorItDidNotProduce() {
    writeNumbered(2, false);

    assertThatThrownBy(() -> storage().logReader().search(LogQuery.builder()
        .cursor("not-a-cursor").build())).isInstanceOf(IllegalArgumentException.class);
  }
}
