package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TestSpans;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stored span Lucene refuses when the store re-indexes it at open (here: its block index was
 * replaced by one where the field {@code duration} has another schema, which Lucene 9 rejects
 * per document, and no watermark, so the whole block is re-fed): the store opens, the span is
 * skipped and counted, and it is still readable by trace ID.
 */
class RecoveryPoisonTest {
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  @TempDir
  Path dir;

  @Test
  void open_spanLuceneRefusesAtRecovery_isSkippedCountedAndReadable() throws Exception {
    String trace = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(
          TestSpans.span(trace, "7000000000000001", "", "svc", "root", NOW, 50))).join();
    }
    Path blockIndex;
    try (Stream<Path> blocks = Files.list(dir.resolve("search"))) {
      blockIndex = blocks.findFirst().orElseThrow();
    }
    try (Stream<Path> files = Files.list(blockIndex)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    try (FSDirectory d = FSDirectory.open(blockIndex);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new KeywordAnalyzer()))) {
      Document doc = new Document();
      doc.add(new IntPoint(SpanDocuments.DURATION, 1));
      w.addDocument(doc);
      w.setLiveCommitData(Map.of(SpanIndexer.SCHEMA, SpanIndexer.SCHEMA_VERSION).entrySet());
      w.commit();
    }
    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(s.unindexedRecords()).isEqualTo(1);
      assertThat(s.traceReader().getTrace(trace)).extracting(Span::name).containsExactly("root");
    }
  }
}
