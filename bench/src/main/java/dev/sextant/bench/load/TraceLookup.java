package dev.sextant.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trace by ID: stores {@code traces} traces of {@code spansPerTrace} spans through the ingest
 * target, checks that the first comes back whole, then fetches them all {@code rounds} times
 * over HTTP and records each request's latency (one client, sequential requests).
 */
final class TraceLookup {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Which peer: its ingest target and the URL of a trace. */
  interface Api {
    String traceUrl(String hexId);

    /** Spans in a trace response, to check the trace came back whole. */
    int spanCount(JsonNode body);
  }

  static Api sextant(String http) {
    return new Api() {
      @Override
      public String traceUrl(String hexId) {
        return http + "/api/traces/" + hexId;
      }

      @Override
      public int spanCount(JsonNode body) {
        return body.path("spanCount").asInt();
      }
    };
  }

  static Api zipkin(String http) {
    return new Api() {
      @Override
      public String traceUrl(String hexId) {
        return http + "/api/v2/trace/" + hexId;
      }

      @Override
      public int spanCount(JsonNode body) {
        // Zipkin decoded our hand-written proto3 as meant only if tags and service came through.
        for (JsonNode span : body) {
          if (span.path("tags").size() < 10
              || !span.path("localEndpoint").path("serviceName").asText().startsWith("load-")) {
            throw new IllegalStateException("zipkin span without its tags or service: " + span);
          }
        }
        return body.size();
      }
    };
  }

  private TraceLookup() {}

  static Latencies run(IngestTarget target, Api api, SpanShape shape, int traces,
      int spansPerTrace, int rounds) throws Exception {
    List<String> ids = send(target, shape, traces, spansPerTrace);
    Http.Response first = Http.get(api.traceUrl(ids.get(0)));
    int got = first.status() == 200 ? api.spanCount(JSON.readTree(first.body())) : -1;
    if (got != spansPerTrace) {
      throw new IllegalStateException(target.name() + ": trace " + ids.get(0) + " came back with "
          + got + " spans (status " + first.status() + "), expected " + spansPerTrace);
    }
    return time(target.name(), api, ids, rounds);
  }

  /**
   * Sends {@code traces} traces of {@code spansPerTrace} spans, one request each, and returns
   * their IDs. The same arguments always give the same IDs, spans and attributes (a fixed seed);
   * only the timestamps follow the clock.
   */
  static List<String> send(IngestTarget target, SpanShape shape, int traces, int spansPerTrace)
      throws Exception {
    SplittableRandom random = new SplittableRandom(99);
    List<String> ids = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      SpanBatch b = SpanBatch.generate(shape, random, spansPerTrace, spansPerTrace,
          System.currentTimeMillis() * 1_000_000L);
      target.send(target.encode(b));
      ids.add(SpanBatch.hex(b.traceHi[0], b.traceLo[0]));
    }
    return ids;
  }

  /** Spans in the trace's answer, or -1 when it did not answer 200. */
  static int spanCount(Api api, String id) throws Exception {
    Http.Response r = Http.get(api.traceUrl(id));
    return r.status() == 200 ? api.spanCount(JSON.readTree(r.body())) : -1;
  }

  /** Fetches every trace {@code rounds} times, one request at a time; fails on a non-200. */
  static Latencies time(String name, Api api, List<String> ids, int rounds) {
    Latencies latencies = new Latencies();
    for (int r = 0; r < rounds; r++) {
      for (String id : ids) {
        long t0 = System.nanoTime();
        Http.Response resp = Http.get(api.traceUrl(id));
        long nanos = System.nanoTime() - t0;
        if (resp.status() != 200) {
          throw new IllegalStateException(name + ": trace " + id + " answered " + resp.status());
        }
        latencies.add(nanos);
      }
    }
    return latencies;
  }
}
