package dev.sextant.cluster;

import java.nio.file.Path;

/**
 * A store role in a process of its own, for SIGKILL tests: {@code StoreMain <bootstrapServers>
 * <group> <name> <dataDir>} consumes into embedded stores under {@code dataDir} (one directory per
 * tenant) until killed. Prints {@code assigned <n>} whenever its assignment changes.
 */
public final class StoreMain {
  private StoreMain() {}

  public static void main(String[] args) throws InterruptedException {
    StoreNode node = new StoreNode(args[0], args[1], args[2], Path.of(args[3])).start();
    int last = -1;
    while (!Thread.currentThread().isInterrupted()) {
      int n = node.assignment().size();
      if (n != last) {
        System.out.println("assigned " + n);
        System.out.flush();
        last = n;
      }
      Thread.sleep(100);
    }
  }
}
