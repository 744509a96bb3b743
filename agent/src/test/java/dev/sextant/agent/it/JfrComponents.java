package dev.sextant.agent.it;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The agent's CPU samples and allocation of JFR recordings, by component: each sample is charged
 * to the component of its innermost (nearest the leaf) agent frame, or of its thread when the
 * agent started the thread (batch processors, the exporter's HTTP client, the metric reader).
 * Samples with no agent frame on an application thread are the application's. Run by hand on the
 * files {@link LoadComparison} writes with {@code -Dload.jfr}: {@code java -cp target/test-classes
 * dev.sextant.agent.it.JfrComponents FILE.jfr...}; several files are summed. Garbage collection
 * runs on threads JFR does not sample: its pauses are summed separately.
 */
public final class JfrComponents {
  private static final String APP = "application and JDK (no agent frame)";
  /** Methods of agent classes that only wrap other work: the work is charged, not the wrapper. */
  private static final Set<String> PASS_THROUGH =
      Set.of("run", "call", "doFilter", "handle", "execute", "accept", "apply");
  /** Prefix of a frame's class, component: the first match wins, so longer prefixes go first. */
  private static final Map<String, String> BY_CLASS = new LinkedHashMap<>();

  static {
    String shaded = "io.opentelemetry.javaagent.shaded.";
    BY_CLASS.put("dev.sextant.agent.", "Sextant extension (correlation ID, MDC)");
    BY_CLASS.put("io.opentelemetry.sdk.trace.export.", "span batch processor (queue)");
    BY_CLASS.put("io.opentelemetry.sdk.logs.export.", "log batch processor (queue)");
    BY_CLASS.put("io.opentelemetry.sdk.trace.", "SDK spans (start, attributes, end)");
    BY_CLASS.put("io.opentelemetry.sdk.logs.", "SDK log records");
    BY_CLASS.put("io.opentelemetry.sdk.metrics.", "metrics (record, collect)");
    BY_CLASS.put("io.opentelemetry.sdk.", "SDK other (resource, clock, ids)");
    BY_CLASS.put("io.opentelemetry.exporter.", "OTLP export (encode, send)");
    BY_CLASS.put("okhttp3.", "OTLP export (encode, send)");
    BY_CLASS.put("okio.", "OTLP export (encode, send)");
    BY_CLASS.put(shaded + "instrumentation.api.semconv.http.HttpServerMetrics",
        "metrics (record, collect)");
    BY_CLASS.put(shaded + "instrumentation.api.semconv.http.HttpClientMetrics",
        "metrics (record, collect)");
    BY_CLASS.put(shaded + "instrumentation.api.", "instrumenter API (attributes, names)");
    BY_CLASS.put(shaded + "io.opentelemetry.context.", "context (current, with, scopes)");
    BY_CLASS.put(shaded + "io.opentelemetry.api.baggage.", "propagation (baggage, traceparent)");
    BY_CLASS.put(shaded + "io.opentelemetry.api.trace.propagation.",
        "propagation (baggage, traceparent)");
    BY_CLASS.put(shaded + "io.opentelemetry.", "API other");
    BY_CLASS.put("io.opentelemetry.javaagent.bootstrap.executors.",
        "executors (context to other threads)");
    BY_CLASS.put("io.opentelemetry.javaagent.instrumentation.executors.",
        "executors (context to other threads)");
    BY_CLASS.put("io.opentelemetry.javaagent.instrumentation.logback",
        "log bridge (logback appender, MDC)");
    BY_CLASS.put("io.opentelemetry.javaagent.instrumentation.",
        "instrumentation helpers (HTTP, JDBC)");
    BY_CLASS.put("io.opentelemetry.", "agent other (bootstrap, tooling)");
  }

  public static void main(String[] args) throws Exception {
    Map<String, Long> cpu = new TreeMap<>();
    Map<String, Long> alloc = new TreeMap<>();
    long samples = 0;
    long bytes = 0;
    double gcMillis = 0;
    int gcs = 0;
    for (String file : args) {
      for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(file))) {
        String type = e.getEventType().getName();
        if (type.equals("jdk.GarbageCollection")) {
          gcs++;
          gcMillis += e.getDuration("sumOfPauses").toNanos() / 1e6;
          continue;
        }
        boolean sample = type.equals("jdk.ExecutionSample");
        if (!sample && !type.equals("jdk.ObjectAllocationSample")) {
          continue;
        }
        String component = component(e);
        if (sample) {
          samples++;
          cpu.merge(component, 1L, Long::sum);
        } else {
          long weight = e.getLong("weight");
          bytes += weight;
          alloc.merge(component, weight, Long::sum);
        }
      }
    }
    print("CPU samples (jdk.ExecutionSample)", cpu, samples);
    print("allocated bytes (jdk.ObjectAllocationSample weight)", alloc, bytes);
    System.out.printf("%ngarbage collections: %d, pauses %.0f ms in total%n", gcs, gcMillis);
  }

  private static String component(RecordedEvent e) {
    if (e.getStackTrace() != null) {
      for (RecordedFrame f : e.getStackTrace().getFrames()) {
        if (f.getMethod() == null) {
          continue;
        }
        String type = f.getMethod().getType().getName();
        if (type.startsWith("dev.sextant.agent.it.")) {
          break; // the test application's own work
        }
        if (PASS_THROUGH.contains(f.getMethod().getName())) {
          continue; // a wrapper (context-propagating task, server filter) around other work
        }
        for (Map.Entry<String, String> c : BY_CLASS.entrySet()) {
          if (type.startsWith(c.getKey())) {
            return c.getValue();
          }
        }
      }
    }
    String thread = threadName(e);
    if (thread.startsWith("OkHttp") || thread.startsWith("BatchSpanProcessor")
        || thread.startsWith("BatchLogRecordProcessor")) {
      return "OTLP export (encode, send)";
    }
    if (thread.startsWith("PeriodicMetricReader")) {
      return "metrics (record, collect)";
    }
    return APP;
  }

  private static String threadName(RecordedEvent e) {
    RecordedThread t = e.getThread(e.getEventType().getName().equals("jdk.ExecutionSample")
        ? "sampledThread" : "eventThread");
    return t == null || t.getJavaName() == null ? "" : t.getJavaName();
  }

  private static void print(String title, Map<String, Long> counts, long total) {
    System.out.printf("%n%s, %d in total; share of all, share of the agent's:%n", title, total);
    long agent = counts.entrySet().stream().filter(c -> !c.getKey().equals(APP))
        .mapToLong(Map.Entry::getValue).sum();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(c -> System.out.printf("%6.1f%%  %6s  %s%n", 100.0 * c.getValue() / total,
            c.getKey().equals(APP) ? ""
                : String.format("%.1f%%", 100.0 * c.getValue() / Math.max(1, agent)),
            c.getKey()));
    System.out.printf("%6.1f%%          agent in total%n", 100.0 * agent / Math.max(1, total));
  }

  private JfrComponents() {}
}
