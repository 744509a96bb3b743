package dev.sextant.storage.internal.logs;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.LogRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link LogStoreCrashTest}: writes logs from two threads until killed and prints
 * {@code ACK <id>} for every record whose write was acknowledged.
 */
public final class LogCrashMain {
  private LogCrashMain() {}

  public static void main(String[] args) throws Exception {
    // A short commit interval so kills also land around commits and pending-entry trims.
    LogStore store = LogStore.open(Path.of(args[0]), 64 << 20, 150);
    for (int t = 0; t < 2; t++) {
      int thread = t;
      new Thread(() -> write(store, thread)).start();
    }
  }

  private static void write(LogStore store, int thread) {
    for (int batch = 0; ; batch++) {
      List<LogRecord> records = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String id = "t" + thread + "b" + batch + "i" + i;
        ids.add(id);
        records.add(LogRecord.builder().timeUnixNano(System.nanoTime()).severityNumber(9)
            .serviceName("crash").body("crash test record " + id)
            .attributes(Attributes.of("rid", id)).build());
      }
      store.accept(records).join();
      StringBuilder out = new StringBuilder();
      for (String id : ids) {
        out.append("ACK ").append(id).append('\n');
      }
      synchronized (System.out) {
        System.out.print(out);
        System.out.flush();
      }
    }
  }
}
