package dev.sextant.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the calling thread, so a benchmark can report work per CPU-second: on a shared
 * machine a wall-clock rate mostly measures how busy the neighbours are.
 */
final class CpuClock {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuClock() {}

  static long threadCpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** Prints {@code what} per CPU-second, e.g. "samples per CPU-second: 2.1E7". */
  static void print(String what, long count, long cpuNanos) {
    if (cpuNanos <= 0) {
      return;
    }
    double perCpuSecond = count / (cpuNanos / 1e9);
    System.out.printf("  [%s per CPU-second of the benchmark thread: %,.0f (%,d in %.2f CPU-s)]%n",
        what, perCpuSecond, count, cpuNanos / 1e9);
  }
}
