package dev.sextant.agent.it;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples ({@code jdk.ExecutionSample}) fall: the top frames (self
 * time), the share of samples with any agent frame on the stack (inclusive), and the agent methods
 * on most stacks. Run by hand on the files {@link LoadComparison} writes with {@code -Dload.jfr}:
 * {@code java -cp target/test-classes dev.sextant.agent.it.JfrTop [-n 25] FILE.jfr...}; several
 * files are summed.
 */
public final class JfrTop {
  /** Frames of these packages are the agent's (its SDK, exporters, instrumentation, ours). */
  private static final List<String> AGENT = List.of("io.opentelemetry.", "dev.sextant.agent.");
  /** The test application, which lives next to this class. */
  private static final String APP = "dev.sextant.agent.it.";

  public static void main(String[] args) throws Exception {
    int top = 25;
    int first = 0;
    if (args.length > 1 && args[0].equals("-n")) {
      top = Integer.parseInt(args[1]);
      first = 2;
    }
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusiveAgent = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> owners = new HashMap<>();
    int samples = 0;
    int withAgent = 0;
    for (int i = first; i < args.length; i++) {
      for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[i]))) {
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")
            || e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
          continue;
        }
        samples++;
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        self.merge(name(frames.get(0)), 1, Integer::sum);
        String thread = e.getThread("sampledThread") == null ? "?"
            : e.getThread("sampledThread").getJavaName();
        threads.merge(thread == null ? "?" : thread.replaceAll("[0-9]+", "N"), 1, Integer::sum);
        owners.merge(owner(frames), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (isAgent(n) && seen.add(n)) {
            inclusiveAgent.merge(n, 1, Integer::sum);
          }
        }
        if (!seen.isEmpty()) {
          withAgent++;
        }
      }
    }
    System.out.printf("%d CPU samples, %.1f%% with an agent frame on the stack%n", samples,
        100.0 * withAgent / Math.max(1, samples));
    print("top frames (self)", self, samples, top);
    print("agent methods on the stack (inclusive)", inclusiveAgent, samples, top);
    print("owner: innermost frame outside the JDK (java., jdk., sun.)", owners, samples, top);
    print("threads (digits as N)", threads, samples, 10);
  }

  private static boolean isAgent(String frame) {
    return AGENT.stream().anyMatch(frame::startsWith) && !frame.startsWith(APP);
  }

  /**
   * Who a sample's CPU is charged to: the package group of the innermost frame that is not the
   * JDK's, so time the JDK spends for the agent (a HashMap it allocates) counts as the agent's.
   */
  private static String owner(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String n = name(f);
      if (n.startsWith("java.") || n.startsWith("jdk.") || n.startsWith("sun.")
          || n.startsWith("com.sun.")) {
        continue;
      }
      if (n.startsWith(APP) || !isAgent(n)) {
        return "application: " + n.substring(0, n.indexOf('.', n.indexOf('.') + 1));
      }
      String[] parts = n.split("\\.");
      return "agent: " + String.join(".", List.of(parts).subList(0, Math.min(5, parts.length - 2)));
    }
    return "JDK only (threads the app or agent started)";
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static void print(String title, Map<String, Integer> counts, int samples, int top) {
    System.out.println("\n" + title + ":");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(top)
        .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / samples,
            e.getKey()));
  }

  private JfrTop() {}
}
