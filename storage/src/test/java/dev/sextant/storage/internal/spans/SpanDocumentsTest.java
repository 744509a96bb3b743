package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.internal.index.LuceneIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanDocumentsTest {
  private static final long MS = 1_000_000L;
  private static final String T1 = "d0000000000000000000000000000001";
  private static final String T2 = "d0000000000000000000000000000002";

  @TempDir
  Path dir;

  @Test
  void attributeTerm_keyLengthPrefixKeepsPairsApart() {
    // "ab" = "c" and "a" = "bc" share the text "abc" but not the term.
    assertThat(SpanDocuments.attributeTerm("ab", "c"))
        .isNotEqualTo(SpanDocuments.attributeTerm("a", "bc"));
    BytesRef t = SpanDocuments.attributeTerm("k", "v");
    assertThat(t).isEqualTo(new BytesRef(new byte[] {'a', 1, 'k', 'v'}));
  }

  @Test
  void attributeTerm_longAndNonAsciiKeysEncodeAsUtf8() {
    String key = "ключ-".repeat(40) + "\uD83D\uDE00"; // 200 two-byte chars + a surrogate pair
    BytesRef t = SpanDocuments.attributeTerm(key, "värde");
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = "värde".getBytes(StandardCharsets.UTF_8);
    assertThat(k.length).isGreaterThan(127);
    assertThat(t.length).isEqualTo(1 + 2 + k.length + v.length); // a two-byte varint length
    assertThat(t.bytes[t.offset + 1] & 0xFF).isEqualTo(0x80 | (k.length & 0x7F));
    assertThat(t.bytes[t.offset + 2]).isEqualTo((byte) (k.length >>> 7));
    assertThat(new String(t.bytes, t.offset + 3, k.length, StandardCharsets.UTF_8)).isEqualTo(key);
  }

  @Test
  void search_longKeysNamesWithoutServiceAndSubSecondRanges() {
    String key = "k".repeat(300);
    try (SpanIndexer indexer = SpanIndexer.open(dir.resolve("index"))) {
      indexer.index(List.of(
          SpanIndexerTest.span(T1, "0000000000000d01", "", "web", "GET /", 5_000 * MS + 1,
              10 * MS, StatusCode.UNSET, Map.of(key, "x", "emoji", "\uD83D\uDE00")),
          SpanIndexerTest.span(T2, "0000000000000d02", "", "api", "GET /", 5_000 * MS + 3,
              10 * MS, StatusCode.ERROR, Attributes.of("n", 1L))));
      assertThat(ids(indexer, TraceQuery.builder().attribute(key, "x").build())).containsExactly(T1);
      assertThat(ids(indexer, TraceQuery.builder().attribute("emoji", "\uD83D\uDE00").build()))
          .containsExactly(T1);
      assertThat(ids(indexer, TraceQuery.builder().spanName("GET /").build()))
          .containsExactly(T2, T1);
      assertThat(ids(indexer, TraceQuery.builder().spanName("GET").build())).isEmpty();
      assertThat(ids(indexer, TraceQuery.builder().timeRange(5_000 * MS + 2, 5_000 * MS + 4)
          .build())).containsExactly(T2);
      assertThat(ids(indexer, TraceQuery.builder().timeRange(5_000 * MS, 5_000 * MS + 2)
          .build())).containsExactly(T1);
      assertThat(indexer.services()).containsExactly("api", "web");
      assertThat(indexer.spanNames("api")).containsExactly("GET /");
      indexer.deleteBefore(5_000 * MS + 2);
      assertThat(ids(indexer, TraceQuery.builder().build())).containsExactly(T2);
    }
  }

  @Test
  void open_indexOfAnotherSchemaIsEmptiedForRebuilding() throws Exception {
    Path index = dir.resolve("old");
    try (FSDirectory d = FSDirectory.open(index);
         IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new KeywordAnalyzer()))) {
      Document doc = new Document();
      doc.add(new StringField("service", "web", Field.Store.NO));
      w.addDocument(doc);
      w.setLiveCommitData(Map.of(LuceneIndex.WATERMARK, "1").entrySet());
      w.commit();
    }
    try (SpanIndexer indexer = SpanIndexer.open(index)) {
      assertThat(indexer.openedWithCommit()).isFalse();
      assertThat(indexer.recoveryPointUnixNano()).isZero();
      indexer.index(List.of(SpanIndexerTest.span(T1, "0000000000000d01", "", "web", "op", MS,
          MS, StatusCode.UNSET, Map.of())));
      indexer.commit();
    }
    try (SpanIndexer indexer = SpanIndexer.open(index)) {
      assertThat(indexer.openedWithCommit()).isTrue();
      assertThat(ids(indexer, TraceQuery.builder().build())).containsExactly(T1);
    }
  }

  private static List<String> ids(SpanIndexer indexer, TraceQuery q) {
    return indexer.search(q).stream().map(TraceSummary::traceId).toList();
  }
}
