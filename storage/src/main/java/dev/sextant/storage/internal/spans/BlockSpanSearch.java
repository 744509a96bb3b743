package dev.sextant.storage.internal.spans;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Trace search over the span blocks. Only blocks whose spans' start times overlap the query's
 * range are searched; a matched trace is summarised from those blocks and their neighbours in
 * write order (a trace's spans arrive within minutes, so a trace written across more than one
 * block boundary may be summarised from part of its spans).
 */
final class BlockSpanSearch implements SpanSearch {
  private final RocksSpanStore store;
  private final SpanBlocks blocks;

  BlockSpanSearch(RocksSpanStore store, SpanBlocks blocks) {
    this.store = store;
    this.blocks = blocks;
  }

  @Override
  public List<TraceSummary> search(TraceQuery query) {
    requireNonNull(query, "query");
    return store.read(() -> {
      List<List<SpanBlock>> selected = blocks.select(query.fromUnixNano(), query.toUnixNano());
      Set<SpanBlock> touched = new LinkedHashSet<>(selected.get(0));
      touched.addAll(selected.get(1));
      for (SpanBlock b : touched) {
        b.searches.incrementAndGet();
      }
      return SpanIndexer.search(indexes(selected.get(0)), indexes(selected.get(1)), query,
          store::getTrace);
    });
  }

  @Override
  public List<String> services() {
    return store.read(() -> SpanIndexer.terms(indexes(blocks.newestFirst()), false, ""));
  }

  @Override
  public List<String> spanNames(String serviceName) {
    requireNonNull(serviceName, "serviceName");
    return store.read(() -> SpanIndexer.terms(indexes(blocks.newestFirst()), true, serviceName));
  }

  private static List<SpanIndexer> indexes(List<SpanBlock> in) {
    List<SpanIndexer> out = new ArrayList<>(in.size());
    for (SpanBlock b : in) {
      out.add(b.index);
    }
    return out;
  }
}
