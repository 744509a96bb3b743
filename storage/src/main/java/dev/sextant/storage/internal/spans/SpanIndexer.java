package dev.sextant.storage.internal.spans;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.UnindexedRecords;
import dev.sextant.storage.internal.index.LuceneIndex;
import dev.sextant.storage.internal.index.TermLister;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene span index behind {@link SpanSearch}. It is derived data: the spans themselves live in
 * the span store, which calls {@link #index} once a write is durable.
 *
 * <h2>Crash recovery</h2>
 * Every commit (each {@value #COMMIT_INTERVAL_SECONDS} s, and on {@link #close()}) records a
 * watermark: a wall-clock time such that every {@link #index} call that started before it is in
 * the commit. After a crash, spans indexed later are lost from the index. On startup the span store
 * must re-feed, through {@link #index}, every span it made durable at or after
 * {@link #recoveryPointUnixNano()}, which subtracts a safety margin of one minute from the watermark
 * for the moments between a durable write and its {@code index} call and for clock adjustments. So
 * the store should call {@code index} promptly once a write is durable (not through a long queue).
 * Re-indexing a span is harmless: it adds a duplicate document, which searches and summaries
 * ignore (they dedupe by trace and by span ID).
 */
public final class SpanIndexer implements SpanSearch, Closeable {
  static final int COMMIT_INTERVAL_SECONDS = 10;
  /** How far before the watermark recovery re-feeds. */
  public static final long RECOVERY_MARGIN_NANOS = TimeUnit.MINUTES.toNanos(1);
  // Scanning more matching spans than this to fill one page of traces is not worth it.
  private static final int MAX_SCANNED_SPANS = 100_000;

  private static final Logger log =
      LoggerFactory.getLogger(SpanIndexer.class);
  /** Commit user data naming the document schema; an index without it is rebuilt. */
  static final String SCHEMA = "span_schema";
  static final String SCHEMA_VERSION = "2";
  // Spans are written far more than searched: a search refreshes first anyway, so the background
  // refresh only bounds how much a search flushes; no compound files (they copy each segment).
  private static final LuceneIndex.Options OPTIONS =
      new LuceneIndex.Options(5000, 64, false, 20, Map.of(SCHEMA, SCHEMA_VERSION));
  // Reused per indexing thread: a span's document allocates next to nothing.
  private static final ThreadLocal<SpanDocument> DOCUMENTS =
      ThreadLocal.withInitial(SpanDocument::new);

  private final LuceneIndex index;
  private final InFlightClock clock;
  private final long recoveryMarginNanos;
  private final UnindexedRecords unindexed;

  private SpanIndexer(LuceneIndex index, InFlightClock clock, long recoveryMarginNanos,
      UnindexedRecords unindexed) {
    this.index = index;
    this.clock = clock;
    this.recoveryMarginNanos = recoveryMarginNanos;
    this.unindexed = unindexed;
  }

  /** Opens or creates the index in {@code dir}. */
  public static SpanIndexer open(Path dir) {
    return open(dir, w -> {});
  }

  /**
   * Opens or creates the index in {@code dir}.
   *
   * @param onCommit told each committed watermark (unix nanos); spans made durable before
   *     {@code watermark - RECOVERY_MARGIN_NANOS} never need re-feeding, so a store keeping a log of
   *     spans to re-index can trim it
   */
  public static SpanIndexer open(Path dir, LongConsumer onCommit) {
    return open(dir, onCommit, TimeUnit.SECONDS.toMillis(COMMIT_INTERVAL_SECONDS),
        RECOVERY_MARGIN_NANOS);
  }

  static SpanIndexer open(Path dir, LongConsumer onCommit, long commitIntervalMillis,
      long recoveryMarginNanos) {
    return open(dir, onCommit, commitIntervalMillis, recoveryMarginNanos, new InFlightClock(),
        null, UnindexedRecords.spans());
  }

  /**
   * Opens the index of one block: indexes of one store share {@code clock} (so a commit's
   * watermark covers every call started before it, whichever block it went to) and the
   * {@code timer} that refreshes and commits them, and count the spans Lucene refuses in
   * {@code unindexed}.
   */
  public static SpanIndexer openBlock(Path dir, LongConsumer onCommit, InFlightClock clock,
      ScheduledExecutorService timer, UnindexedRecords unindexed) {
    return open(dir, onCommit, TimeUnit.SECONDS.toMillis(COMMIT_INTERVAL_SECONDS),
        RECOVERY_MARGIN_NANOS, clock, timer, unindexed);
  }

  private static SpanIndexer open(Path dir, LongConsumer onCommit, long commitIntervalMillis,
      long recoveryMarginNanos, InFlightClock clock,
      ScheduledExecutorService timer, UnindexedRecords unindexed) {
    requireNonNull(dir, "dir");
    requireNonNull(onCommit, "onCommit");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create span index directory " + dir + ": " + e, e);
    }
    dropOtherSchema(dir);
    LuceneIndex index = LuceneIndex.open("spans", dir, new KeywordAnalyzer(), commitIntervalMillis,
        clock::watermark, onCommit, timer, OPTIONS);
    index.startBackgroundTasks();
    return new SpanIndexer(index, clock, recoveryMarginNanos, requireNonNull(unindexed,
        "unindexed"));
  }

  /**
   * Empties an index written with another schema ({@link SpanDocuments}): it then opens without
   * a commit, and the span store re-indexes the block from its stored spans.
   */
  private static void dropOtherSchema(Path dir) {
    try (FSDirectory d = FSDirectory.open(dir)) {
      if (!DirectoryReader.indexExists(d)
          || SCHEMA_VERSION.equals(SegmentInfos.readLatestCommit(d).getUserData().get(SCHEMA))) {
        return;
      }
      log.info("span index {}: older schema, emptied to be rebuilt from the stored spans", dir);
      for (String f : d.listAll()) {
        d.deleteFile(f);
      }
    } catch (IOException e) {
      throw new StorageException("cannot open span index " + dir + ": " + e, e);
    }
  }

  /**
   * Re-feed spans made durable at or after this instant (unix nanos) after opening; 0 when the index
   * has no commit (new or lost), meaning re-feed every span.
   */
  public long recoveryPointUnixNano() {
    return index.openedWatermark().isPresent()
        ? Math.max(0, index.openedWatermark().getAsLong() - recoveryMarginNanos) : 0;
  }

  /**
   * Adds the spans' documents; they are searchable when this returns. Call after the spans are
   * durable in the span store. Indexing a span again is harmless: summaries count a span once.
   * A span whose document Lucene refuses is left out, counted in {@link #unindexed()} and logged;
   * the others are indexed all the same.
   *
   * @throws IllegalArgumentException when a span has invalid IDs (nothing of the call is indexed)
   */
  public void index(List<Span> spans) {
    // Entered before any work: the watermark must not pass a call still building its documents.
    long token = clock.enter();
    try {
      for (Span s : spans) {
        SpanDocuments.validate(s);
      }
      SpanDocument doc = DOCUMENTS.get();
      // One atomic block, as before: Lucene consumes each document before asking for the next,
      // so the one reused document is refilled lazily.
      Iterable<Iterable<IndexableField>> docs = () -> new Iterator<>() {
        private final Iterator<Span> it = spans.iterator();

        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public Iterable<IndexableField> next() {
          return doc.fill(it.next());
        }
      };
      try {
        index.writer().addDocuments(docs);
      } catch (IllegalArgumentException refused) {
        // Lucene refused one document (a limit the document builder did not foresee) and with
        // it the whole block: add them one by one, leaving out only the refused ones.
        indexOneByOne(spans, doc);
      }
    } catch (IOException e) {
      throw new StorageException("span index: " + e, e);
    } finally {
      clock.exit(token);
    }
  }

  private void indexOneByOne(List<Span> spans, SpanDocument doc) throws IOException {
    for (Span s : spans) {
      try {
        index.writer().addDocument(doc.fill(s));
      } catch (IllegalArgumentException e) {
        unindexed.skipped(s.traceId() + "/" + s.spanId(), e);
      }
    }
  }

  /** Spans Lucene refused since this index was opened: stored, but not searchable. */
  public UnindexedRecords unindexed() {
    return unindexed;
  }

  /**
   * Deletes the documents of spans that started before {@code startUnixNano}, for retention; durable
   * at the next commit. A trace straddling the limit keeps its younger spans.
   */
  public void deleteBefore(long startUnixNano) {
    if (startUnixNano == Long.MIN_VALUE) {
      return;
    }
    try {
      index.writer().deleteDocuments(SpanQueries.startRange(Long.MIN_VALUE, startUnixNano - 1));
    } catch (IOException e) {
      throw new StorageException("span index delete: " + e, e);
    }
  }

  /** Whether the index had a commit when opened (false: new, or lost and to be rebuilt). */
  public boolean openedWithCommit() {
    return index.openedWatermark().isPresent();
  }

  /** Whether the index was sealed (complete, merged) when opened. */
  public boolean openedSealed() {
    return index.openedSealed();
  }

  /** Merges into one segment and commits marked complete; see {@link LuceneIndex#seal()}. */
  public void seal() {
    index.seal();
  }

  /** Takes back {@link #seal()}, for a late write. */
  public void unseal() {
    index.unseal();
  }

  /** Merges into one segment and commits, without sealing. */
  public void forceMerge() {
    index.forceMerge();
  }

  /** Whether documents were added since the last commit (a late write into a sealed block). */
  public boolean hasUncommittedChanges() {
    return index.hasUncommittedChanges();
  }

  /** Closes without committing (a block being dropped). */
  public void abandon() {
    index.abandon();
  }

  /** Commits now; returns the watermark now durable. */
  public long commit() {
    return index.commit();
  }

  @Override
  public List<TraceSummary> search(TraceQuery query) {
    requireNonNull(query, "query");
    return index.search(searcher -> search(searcher, searcher, query, id -> List.of()));
  }

  /**
   * Searches several block indexes as one: traces are picked from the matching spans of
   * {@code matchIn}, and summarised from every span in {@code summarizeIn} (which should include
   * {@code matchIn} and the blocks where the same traces may have more spans).
   *
   * @param storedSpans a trace's stored spans, asked for when its documents may hold one span
   *     twice (see {@link TraceSummarizer}); an empty list keeps the index's summary
   */
  public static List<TraceSummary> search(List<SpanIndexer> matchIn,
      List<SpanIndexer> summarizeIn, TraceQuery query,
      Function<String, List<Span>> storedSpans) {
    requireNonNull(query, "query");
    if (matchIn.isEmpty()) {
      return List.of();
    }
    List<SpanIndexer> all = new ArrayList<>(summarizeIn);
    for (SpanIndexer m : matchIn) {
      if (!all.contains(m)) {
        all.add(m);
      }
    }
    List<IndexSearcher> acquired = new ArrayList<>(all.size());
    try {
      for (SpanIndexer i : all) {
        acquired.add(i.index.acquire());
      }
      IndexSearcher match = multi(acquired, all, matchIn);
      IndexSearcher summary = multi(acquired, all, all);
      return search(match, summary, query, storedSpans);
    } catch (IOException e) {
      throw new StorageException("span index search: " + e, e);
    } finally {
      for (int i = 0; i < acquired.size(); i++) {
        all.get(i).index.release(acquired.get(i));
      }
    }
  }

  /** One searcher over the readers of {@code wanted}, taken from {@code acquired}. */
  private static IndexSearcher multi(List<IndexSearcher> acquired, List<SpanIndexer> all,
      List<SpanIndexer> wanted) throws IOException {
    List<IndexReader> readers = new ArrayList<>(wanted.size());
    for (SpanIndexer w : wanted) {
      readers.add(acquired.get(all.indexOf(w)).getIndexReader());
    }
    if (readers.size() == 1) {
      return new IndexSearcher(readers.get(0));
    }
    return new IndexSearcher(new MultiReader(
        readers.toArray(IndexReader[]::new), false));
  }

  private static List<TraceSummary> search(IndexSearcher match, IndexSearcher summary,
      TraceQuery query, Function<String, List<Span>> storedSpans)
      throws IOException {
    Query q = SpanQueries.toQuery(query, match.getIndexReader());
    Sort sort = SpanQueries.sort(query.order());
    Set<String> traceIds = matchingTraces(match, q, sort, query.limit());
    List<TraceSummary> out = new ArrayList<>(traceIds.size());
    for (String id : traceIds) {
      TraceSummary s = TraceSummarizer.summarize(summary, id, storedSpans);
      if (s != null) {
        out.add(s);
      }
    }
    Comparator<TraceSummary> order = query.order() == TraceQuery.Order.DURATION_DESC
        ? Comparator.comparingLong(TraceSummary::durationNanos)
        : Comparator.comparingLong(TraceSummary::startUnixNano);
    out.sort(order.reversed().thenComparing(TraceSummary::traceId));
    return out;
  }

  /** Sorted distinct terms of {@code field} under {@code prefix} over several block indexes. */
  public static List<String> terms(List<SpanIndexer> in, boolean spanNames, String service) {
    TreeSet<String> out = new TreeSet<>();
    for (SpanIndexer i : in) {
      out.addAll(spanNames ? i.spanNames(service) : i.services());
    }
    return new ArrayList<>(out);
  }

  /** Distinct trace IDs of the first matching spans in {@code sort} order, up to {@code limit}. */
  private static Set<String> matchingTraces(IndexSearcher searcher, Query q, Sort sort, int limit)
      throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    Set<String> fields = Set.of(SpanDocuments.TRACE_ID);
    StoredFields stored = searcher.storedFields();
    int pageSize = Math.max(100, limit * 4);
    ScoreDoc after = null;
    int scanned = 0;
    while (ids.size() < limit && scanned < MAX_SCANNED_SPANS) {
      TopDocs page = after == null ? searcher.search(q, pageSize, sort)
          : searcher.searchAfter(after, q, pageSize, sort);
      for (ScoreDoc sd : page.scoreDocs) {
        BytesRef id = stored.document(sd.doc, fields).getBinaryValue(SpanDocuments.TRACE_ID);
        ids.add(Ids.toHex(
            Arrays.copyOfRange(id.bytes, id.offset, id.offset + id.length)));
        if (ids.size() == limit) {
          break;
        }
      }
      scanned += page.scoreDocs.length;
      if (page.scoreDocs.length < pageSize) {
        break;
      }
      after = page.scoreDocs[page.scoreDocs.length - 1];
    }
    return ids;
  }

  @Override
  public List<String> services() {
    // Services are the distinct first parts of the service + span name terms.
    return index.search(searcher -> {
      TreeSet<String> out = new TreeSet<>();
      for (String t : TermLister.list(searcher, SpanDocuments.TAGS,
          String.valueOf((char) SpanDocuments.SERVICE_NAME_TAG))) {
        int cut = t.indexOf(SpanDocuments.SEPARATOR);
        out.add(cut < 0 ? t : t.substring(0, cut));
      }
      return new ArrayList<>(out);
    });
  }

  @Override
  public List<String> spanNames(String serviceName) {
    requireNonNull(serviceName, "serviceName");
    String prefix = (char) SpanDocuments.SERVICE_NAME_TAG + serviceName + SpanDocuments.SEPARATOR;
    return index.search(searcher -> TermLister.list(searcher, SpanDocuments.TAGS, prefix));
  }

  /** Commits and closes; searching or indexing afterwards fails. */
  @Override
  public void close() {
    index.close();
  }
}
