package dev.sextant.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code load run}: OTLP gRPC load against a Sextant that is already running. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Drive a running Sextant over OTLP gRPC at fixed rates and flat out.")
final class RunCommand implements Callable<Integer> {
  @Option(names = "--target", defaultValue = "127.0.0.1:4317",
      description = "OTLP gRPC host:port (default: ${DEFAULT-VALUE})")
  String target;

  @Option(names = "--pid", description = "server process ID, for CPU and RSS from /proc")
  Long pid;

  @Option(names = "--data-dir", description = "server data directory, for bytes per span")
  Path dataDir;

  @Option(names = "--rate", split = ",", description = "offered spans/s, one step each "
      + "(default: 5000); a flat-out step always follows")
  List<Double> rates = List.of(5000.0);

  @Option(names = "--duration", defaultValue = "30", description = "seconds per step")
  int seconds;

  @Option(names = "--clients", defaultValue = "8", description = "concurrent clients")
  int clients;

  @Option(names = "--batch", defaultValue = "100", description = "spans per request")
  int batch;

  @Option(names = "--fat", description = "50 attributes per span instead of 10")
  boolean fat;

  @Override
  public Integer call() throws Exception {
    long serverPid = pid != null ? pid : ProcessHandle.current().pid();
    if (pid == null) {
      System.out.println("no --pid: CPU and RSS below are the load tool's own, not the server's");
    }
    String[] hp = target.split(":");
    SpanShape shape = SpanShape.testbed(fat);
    long stored = 0;
    try (IngestTarget t = new OtlpGrpcTarget(hp[0], Integer.parseInt(hp[1]), shape)) {
      LoadDriver driver = new LoadDriver(t, shape, serverPid, clients, batch, 10);
      for (double rate : rates) {
        LoadResult r = driver.run("fixed   ", rate, Duration.ofSeconds(seconds));
        stored += r.spansAcked();
        System.out.println(r.summary());
      }
      LoadResult r = driver.run("flat out", 0, Duration.ofSeconds(seconds));
      stored += r.spansAcked();
      System.out.println(r.summary());
    }
    if (dataDir != null) {
      long bytes = ProcStats.diskBytes(dataDir);
      System.out.printf("data dir %s: %,d bytes, %.1f B per span sent by this run (live, not "
          + "compacted; other data in it counts too)%n", dataDir, bytes, (double) bytes / stored);
    }
    return 0;
  }
}
