package dev.sextant.bench.load;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bench/bin/load}: the end-to-end load tool. {@code run} drives a Sextant that is already
 * running; {@code compare} starts Sextant, Zipkin and Prometheus itself and prints the table;
 * {@code cluster} starts a Kafka broker and Sextant nodes in cluster roles and prints theirs.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    subcommands = {RunCommand.class, CompareCommand.class, ClusterCommand.class},
    description = "End-to-end load and side-by-side comparison for Sextant.")
public final class LoadTool implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    int code = new CommandLine(new LoadTool()).execute(args);
    System.exit(code);
  }
}
