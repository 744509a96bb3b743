package dev.sextant.storage.embedded;

import dev.sextant.storage.Span;
import dev.sextant.storage.TraceReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The block store's trace reader plus the pinned copies: a pinned trace reads whole after
 * retention dropped its blocks, and a span found in both is returned once.
 */
final class PinnedTraceReader implements TraceReader {
  private final TraceReader blocks;
  private final DefaultPins pins;

  PinnedTraceReader(TraceReader blocks, DefaultPins pins) {
    this.blocks = blocks;
    this.pins = pins;
  }

  @Override
  public List<Span> getTrace(String traceId) {
    return merge(blocks.getTrace(traceId), traceId, Integer.MAX_VALUE);
  }

  @Override
  public List<Span> getTrace(String traceId, int limit) {
    return merge(blocks.getTrace(traceId, limit), traceId, limit);
  }

  private List<Span> merge(List<Span> stored, String traceId, int limit) {
    if (stored.size() >= limit) {
      return stored;
    }
    // The block store validated the ID.
    List<Span> pinned = pins.spans(traceId.toLowerCase(Locale.ROOT), limit);
    if (pinned.isEmpty()) {
      return stored;
    }
    Set<String> seen = new HashSet<>();
    List<Span> out = new ArrayList<>(stored);
    stored.forEach(s -> seen.add(s.spanId()));
    for (Span s : pinned) {
      if (out.size() >= limit) {
        break;
      }
      if (seen.add(s.spanId())) {
        out.add(s);
      }
    }
    return out;
  }
}
