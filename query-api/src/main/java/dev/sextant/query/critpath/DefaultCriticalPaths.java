package dev.sextant.query.critpath;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.sample.TraceReads;
import dev.sextant.query.sample.TraceSample;
import dev.sextant.query.sample.TraceSampler;
import dev.sextant.query.trace.CriticalPath;
import dev.sextant.query.trace.TraceAssembler;
import dev.sextant.query.trace.TraceNode;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

final class DefaultCriticalPaths implements CriticalPaths {
  private final Storage storage;
  private final int maxTraces;
  private final int maxSpans;

  DefaultCriticalPaths(Storage storage, int maxTraces, int maxSpans) {
    this.storage = storage;
    this.maxTraces = maxTraces;
    this.maxSpans = maxSpans;
  }

  @Override
  public CriticalPathReport aggregate(CriticalPathQuery q) {
    requireNonNull(q, "query");
    Window now = window(q);
    Window before = window(q.previous());
    Set<OperationKey> keys = new LinkedHashSet<>(now.shares.keySet());
    keys.addAll(before.shares.keySet());
    List<CriticalPathReport.Row> rows = new ArrayList<>(keys.size());
    for (OperationKey k : keys) {
      rows.add(new CriticalPathReport.Row(k.service(), k.operation(),
          now.shares.getOrDefault(k, CriticalPathReport.Share.NONE),
          before.shares.getOrDefault(k, CriticalPathReport.Share.NONE)));
    }
    rows.sort(Comparator.comparingDouble((CriticalPathReport.Row r) -> r.current().mean())
        .reversed().thenComparing(CriticalPathReport.Row::service)
        .thenComparing(CriticalPathReport.Row::operation));
    CriticalPathReport.Row grew = null;
    if (before.stats.analysed() > 0 && now.stats.analysed() > 0) {
      for (CriticalPathReport.Row r : rows) {
        if (r.meanDelta() > 1e-9 && (grew == null || r.meanDelta() > grew.meanDelta())) {
          grew = r;
        }
      }
    }
    return new CriticalPathReport(q, now.stats, before.stats, rows, grew);
  }

  private record OperationKey(String service, String operation) {}

  private record Window(CriticalPathReport.WindowStats stats,
      Map<OperationKey, CriticalPathReport.Share> shares) {}

  private Window window(CriticalPathQuery q) {
    TraceSample sample = TraceSampler.sample(storage.spanSearch(),
        b -> b.serviceName(q.service()).spanName(q.operation()), q.fromUnixNano(),
        q.toUnixNano(), maxTraces, id -> false);
    TraceReads reads = TraceReads.read(storage.traceReader(), sample, maxSpans);
    List<Map<OperationKey, Long>> paths = new ArrayList<>();
    List<Long> durations = new ArrayList<>();
    for (List<Span> spans : reads.traces()) {
      TraceNode top = topMost(TraceAssembler.assemble(spans.get(0).traceId(), spans).roots(),
          q.service(), q.operation());
      if (top == null || top.end() <= top.start()) {
        continue;
      }
      Map<OperationKey, Long> byOp = new LinkedHashMap<>();
      CriticalPath.below(top).forEach((n, nanos) -> byOp.merge(
          new OperationKey(n.span().serviceName(), n.span().name()), nanos, Long::sum));
      paths.add(byOp);
      durations.add(top.end() - top.start());
    }
    int n = paths.size();
    Map<OperationKey, long[]> nanosByOp = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int t = i;
      paths.get(i).forEach((k, v) -> nanosByOp.computeIfAbsent(k, x -> new long[n])[t] = v);
    }
    Map<OperationKey, CriticalPathReport.Share> shares = new LinkedHashMap<>();
    nanosByOp.forEach((k, nanos) -> shares.put(k, share(nanos, durations)));
    long[] d = durations.stream().mapToLong(Long::longValue).sorted().toArray();
    CriticalPathReport.WindowStats stats = new CriticalPathReport.WindowStats(q.fromUnixNano(),
        q.toUnixNano(), sample.candidates(), sample.candidatesCapped(), n,
        sample.sampled() || reads.truncated(), Percentiles.of(d, 0.5), Percentiles.of(d, 0.99));
    return new Window(stats, shares);
  }

  private static CriticalPathReport.Share share(long[] nanos, List<Long> durations) {
    int n = nanos.length;
    double[] shares = new double[n];
    double sum = 0;
    int on = 0;
    for (int i = 0; i < n; i++) {
      shares[i] = Math.min(1.0, (double) nanos[i] / durations.get(i));
      sum += shares[i];
      if (nanos[i] > 0) {
        on++;
      }
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    Arrays.sort(shares);
    return new CriticalPathReport.Share(on, Percentiles.of(shares, 0.5),
        Percentiles.of(shares, 0.99), n == 0 ? 0 : sum / n, Percentiles.of(sorted, 0.5),
        Percentiles.of(sorted, 0.99));
  }

  /** The shallowest span of the service and operation, earliest first among equals. */
  private static @Nullable TraceNode topMost(List<TraceNode> roots, String service, String operation) {
    List<TraceNode> level = roots;
    while (!level.isEmpty()) {
      List<TraceNode> next = new ArrayList<>();
      for (TraceNode node : level) {
        if (node.span().serviceName().equals(service) && node.span().name().equals(operation)) {
          return node;
        }
        next.addAll(node.children());
      }
      level = next;
    }
    return null;
  }
}
