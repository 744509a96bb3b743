package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents Lucene refuses (here: the index already has {@code duration} as a point field, a
 * schema change Lucene 9 rejects per document) are skipped and counted; {@code index} does not
 * throw, so neither ingest nor recovery at open fails on them.
 */
class SpanIndexerPoisonTest {
  @TempDir
  Path dir;

  @Test
  void index_documentsLuceneRefuses_areSkippedAndCountedNotThrown() throws Exception {
    SpanIndexer.open(dir).close(); // a committed index with this schema's tag
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new KeywordAnalyzer()))) {
      Document doc = new Document();
      doc.add(new IntPoint(SpanDocuments.DURATION, 1));
      w.addDocument(doc);
      w.commit(); // keeps the last commit's user data: the schema tag stays
    }
    String trace = TestSpans.randomHex(32);
    List<Span> spans = List.of(
        TestSpans.span(trace, "7000000000000001", "", "svc", "a", 1_000, 10),
        TestSpans.span(trace, "7000000000000002", "7000000000000001", "svc", "b", 1_000, 5));
    SpanIndexer indexer = SpanIndexer.open(dir);
    try {
      indexer.index(spans);
      assertThat(indexer.unindexed().count()).isEqualTo(2);
    } finally {
      indexer.close();
    }
  }
}
