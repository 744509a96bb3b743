package dev.sextant.collector.zipkin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Collects one span's fields as a reader meets them, in any order; checks the required ones. */
final class ZipkinSpanBuilder {
  private final String at;
  @Nullable String traceId;
  @Nullable String id;
  @Nullable String parentId;
  ZipkinSpan.@Nullable Kind kind;
  String name = "";
  long timestamp;
  long duration;
  ZipkinSpan.@Nullable Endpoint localEndpoint;
  ZipkinSpan.@Nullable Endpoint remoteEndpoint;
  boolean debug;
  boolean shared;
  private final List<ZipkinSpan.Annotation> annotations = new ArrayList<>();
  private final Map<String, String> tags = new LinkedHashMap<>();
  private int droppedTags;
  private int droppedAnnotations;

  /** {@code at}: where the span is, for error messages ({@code spans[3]}). */
  ZipkinSpanBuilder(String at) {
    this.at = at;
  }

  void tag(String key, String value) {
    if (tags.size() < ZipkinSpan.MAX_TAGS || tags.containsKey(key)) {
      tags.put(key, value);
    } else {
      droppedTags++;
    }
  }

  void annotation(long timestamp, String value) {
    if (annotations.size() < ZipkinSpan.MAX_ANNOTATIONS) {
      annotations.add(new ZipkinSpan.Annotation(timestamp, value));
    } else {
      droppedAnnotations++;
    }
  }

  ZipkinSpan build() throws ZipkinFormatException {
    if (traceId == null) {
      throw new ZipkinFormatException(at + ".traceId: missing (expected: 16 or 32 hex characters)");
    }
    if (id == null) {
      throw new ZipkinFormatException(at + ".id: missing (expected: 16 hex characters)");
    }
    return new ZipkinSpan(traceId, id, parentId, kind, name, timestamp, duration, localEndpoint,
        remoteEndpoint, List.copyOf(annotations), tags, debug, shared, droppedTags,
        droppedAnnotations);
  }
}
