package dev.sextant.bench.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Reads a process's CPU time and resident memory from {@code /proc}: CPU is utime + stime of
 * {@code /proc/<pid>/stat} (all its threads, not its children), RSS is {@code VmRSS} of
 * {@code /proc/<pid>/status}.
 */
final class ProcStats {
  private static final double TICKS_PER_SECOND = clockTicks();

  private ProcStats() {}

  /** CPU seconds (user + system) the process has used so far. */
  static double cpuSeconds(long pid) {
    try {
      return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/stat: " + e.getMessage(), e);
    }
  }

  /**
   * CPU seconds used so far by the JVM's JIT compiler threads ({@code C1/C2 CompilerThread*}) of
   * the process, so short runs can show the cost of ingest apart from warming up. A compiler
   * thread that exits takes its time out of this sum (the JVM stops idle ones), which only makes
   * "CPU without JIT" larger, never smaller.
   */
  static double jitCpuSeconds(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    double total = 0;
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : (Iterable<Path>) list::iterator) {
        try {
          String comm = Files.readString(task.resolve("comm")).trim();
          if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            total += ticks(Files.readString(task.resolve("stat"))) / TICKS_PER_SECOND;
          }
        } catch (IOException e) {
          // the thread ended while we listed
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + tasks + ": " + e.getMessage(), e);
    }
    return total;
  }

  private static long ticks(String stat) {
    // The command name (field 2) may contain spaces: fields are counted after its ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime (14) + stime (15)
  }

  /** Resident set size in bytes. */
  static long rssBytes(long pid) {
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
          .orElseThrow(() -> new IllegalStateException("no VmRSS for pid " + pid));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/" + pid + "/status: " + e.getMessage(), e);
    }
  }

  /** Total size of the regular files under {@code dir} (0 when it does not exist). */
  static long diskBytes(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // deleted under us (a compaction finishing)
        }
      }).sum();
    } catch (IOException e) {
      throw new IllegalStateException("cannot size " + dir + ": " + e.getMessage(), e);
    }
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), UTF_8).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (IOException | NumberFormatException e) {
      return 100; // USER_HZ on every mainstream Linux build
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
