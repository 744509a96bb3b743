package dev.sextant.storage.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link MetricStoreCrashTest}: writers append to their own series forever and
 * print {@code ACK <writer> <seq>} once batch {@code seq} is acknowledged. Batch {@code seq} of
 * writer {@code w} holds, for each of its series, the sample {@link #time(long, int)} →
 * {@link #value(int, long, int)}.
 */
public final class CrashChild {
  static final int WRITERS = 4;
  static final int SERIES_PER_WRITER = 25;
  static final int SAMPLES_PER_BATCH = 3;

  private CrashChild() {}

  static Labels labels(int writer, int series) {
    return Labels.of("__name__", "crash_test", "writer", Integer.toString(writer), "series",
        Integer.toString(series));
  }

  static long time(long seq, int i) {
    return 1_000_000L + seq * 1_000L * SAMPLES_PER_BATCH + i * 1_000L;
  }

  static double value(int series, long seq, int i) {
    return series * 1_000_000.0 + seq * SAMPLES_PER_BATCH + i;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long firstSeq = Long.parseLong(args[1]);
    MetricStore store = EmbeddedMetricStore.builder(dir).chunkSamples(16).build();
    System.out.println("OPEN");
    System.out.flush();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        for (long seq = firstSeq; ; seq++) {
          List<TimeSeries> batch = new ArrayList<>();
          for (int s = 0; s < SERIES_PER_WRITER; s++) {
            long[] ts = new long[SAMPLES_PER_BATCH];
            double[] vs = new double[SAMPLES_PER_BATCH];
            for (int i = 0; i < SAMPLES_PER_BATCH; i++) {
              ts[i] = time(seq, i);
              vs[i] = value(s, seq, i);
            }
            batch.add(new TimeSeries(labels(writer, s), ts, vs));
          }
          store.write(batch).join();
          synchronized (System.out) {
            System.out.println("ACK " + writer + " " + seq);
            System.out.flush();
          }
        }
      });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
  }
}
