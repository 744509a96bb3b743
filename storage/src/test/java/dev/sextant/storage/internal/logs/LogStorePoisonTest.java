package dev.sextant.storage.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record Lucene refuses (here: its attribute field already exists in the block index with
 * another schema, which Lucene 9 rejects per document) is stored, counted, left out of the
 * index, and blocks neither the other records of its batch nor the store's next open.
 */
class LogStorePoisonTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir
  Path dir;

  @Test
  void accept_recordLuceneRefuses_isSkippedCountedAndTheRestIndexed() throws Exception {
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      store.accept(List.of(log(1000, "first", Attributes.of()))).join();
    }
    Path blockIndex;
    try (Stream<Path> s = Files.list(dir.resolve("index"))) {
      blockIndex = s.findFirst().orElseThrow();
    }
    // The field attr.poison exists as a point field: a keyword attribute "poison" is refused.
    try (FSDirectory d = FSDirectory.open(blockIndex);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
      Document doc = new Document();
      doc.add(new IntPoint("attr.poison", 1));
      w.addDocument(doc);
      w.commit();
    }
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      store.accept(List.of(log(2000, "good before", Attributes.of("ok", "1")),
          log(3000, "poison", Attributes.of("poison", "x")),
          log(4000, "good after", Attributes.of()))).join();
      assertThat(store.unindexed().count()).isEqualTo(1);
      assertThat(store.search(LogQuery.builder().traceId(TRACE).build()).records())
          .extracting(LogRecord::body).containsExactly("good after", "good before", "first");
    }
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      assertThat(store.search(LogQuery.builder().traceId(TRACE).build()).records())
          .extracting(LogRecord::body).containsExactly("good after", "good before", "first");
    }
  }

  private static LogRecord log(long time, String body, Map<String, Object> attrs) {
    return LogRecord.builder().timeUnixNano(time).body(body).traceId(TRACE)
        .serviceName("svc").attributes(attrs).build();
  }
}
