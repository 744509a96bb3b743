package dev.sextant.collector.zipkin;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One decoded Zipkin v2 span, as either wire format gives it: IDs already normalized to
 * lowercase hex of 32 (trace) and 16 (span) characters, times in epoch microseconds (0: absent).
 */
record ZipkinSpan(String traceId, String id, @Nullable String parentId, @Nullable Kind kind,
    String name, long timestamp, long duration, @Nullable Endpoint localEndpoint,
    @Nullable Endpoint remoteEndpoint, List<Annotation> annotations, Map<String, String> tags,
    boolean debug, boolean shared, int droppedTags, int droppedAnnotations) {
  /**
   * Tags and annotations kept per span while decoding, so that a body of many tiny ones costs
   * bounded memory per span; the rest are counted as dropped. The ingest limits cut further.
   */
  static final int MAX_TAGS = 1024;
  static final int MAX_ANNOTATIONS = 1024;

  /** Zipkin's span kinds; absent means a local (in-process) span. */
  enum Kind { CLIENT, SERVER, PRODUCER, CONSUMER }

  /** A node of the service graph; empty strings and port 0 mean absent. */
  record Endpoint(String serviceName, String ipv4, String ipv6, int port) {
    /** The IPv4 address when there is one, else the IPv6 address, else empty. */
    String ip() {
      return ipv4.isEmpty() ? ipv6 : ipv4;
    }
  }

  /** An event at a time (epoch microseconds). */
  record Annotation(long timestamp, String value) {}
}
