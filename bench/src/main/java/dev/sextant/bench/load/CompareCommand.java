package dev.sextant.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load compare}: starts Sextant, Zipkin 3.6.1 (in memory) and Prometheus on free loopback
 * ports, one phase at a time, measures them on the same load and prints the table. Every server
 * it started is stopped when it ends, fails or is interrupted.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Sextant vs Zipkin (spans) and Prometheus (scraped metrics), same machine.")
final class CompareCommand implements Callable<Integer> {
  @Option(names = "--quick",
      description = "short steps: about 4 minutes of measuring instead of about 20")
  boolean quick;

  @Option(names = "--only", description = "traces or metrics (default: both)")
  String only;

  @Option(names = "--root", description = "Sextant checkout (default: -Dsextant.root or .)")
  Path root;

  @Option(names = "--work-dir", description = "where data and logs go (default: a temp dir)")
  Path work;

  @Option(names = "--zipkin-jar", description = "zipkin-server-3.6.1-exec.jar "
      + "(default: bench/target/peers/zipkin-server-3.6.1-exec.jar)")
  Path zipkinJar;

  @Option(names = "--prometheus", defaultValue = "/usr/bin/prometheus",
      description = "Prometheus binary (default: ${DEFAULT-VALUE})")
  String prometheus;

  @Option(names = "--rate", split = ",", description = "fixed offered spans/s steps "
      + "(default: 5000)")
  List<Double> rates = List.of(5000.0);

  @Option(names = "--clients", defaultValue = "8", description = "concurrent ingest clients")
  int clients;

  @Option(names = "--batch", defaultValue = "100", description = "spans per request")
  int batch;

  @Option(names = "--fat", description = "50 attributes per span instead of 10")
  boolean fat;

  @Option(names = "--series", description = "series on the metrics target "
      + "(default: 5000 quick, 20000 long)")
  Integer series;

  @Option(names = "--heap", defaultValue = "2g", description = "-Xmx/-Xms of Sextant and Zipkin "
      + "in the span phases (default: ${DEFAULT-VALUE})")
  String heap;

  @Option(names = "--metrics-heap", description = "-Xmx/-Xms of Sextant in the metrics phase "
      + "(default: none, the launcher's JVM defaults, as bin/sextant server runs it)")
  String metricsHeap;

  @Option(names = "--sextant-jvm-option", description = "extra JVM flag for Sextant, "
      + "repeatable (e.g. -XX:StartFlightRecording=filename=s.jfr,dumponexit=true to profile)")
  List<String> sextantJvmOptions = List.of();

  @Option(names = "--out", description = "also write the table (markdown) to this file")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path r = root != null ? root : Path.of(System.getProperty("sextant.root", "."));
    Path w = work != null ? work : Files.createTempDirectory("sextant-load-");
    Settings s = new Settings(r.toAbsolutePath(), w, SpanShape.testbed(fat), clients, batch, 10,
        rates, sec(quick ? 10 : 30), sec(quick ? 15 : 60), sec(quick ? 20 : 120),
        quick ? 20 : 50, 1000, quick ? 5 : 10, heap,
        zipkinJar != null ? zipkinJar
            : r.resolve("bench/target/peers/zipkin-server-3.6.1-exec.jar"),
        500_000, prometheus, series != null ? series : quick ? 5000 : 20000,
        sec(quick ? 1 : 5), sec(quick ? 30 : 60), sec(quick ? 45 : 600), quick ? 10 : 30,
        sextantJvmOptions, metricsHeap);
    TracePhase.log("work dir " + w + (quick ? " (quick mode)" : ""));
    Report report = new Report(s);
    if (only == null || only.equals("traces")) {
      TracePhase.Outcome sextant = TracePhase.sextant(s);
      TracePhase.Outcome zipkin = TracePhase.zipkin(s);
      report.traces(sextant, zipkin);
    }
    if (only == null || only.equals("metrics")) {
      report.metrics(MetricsPhase.run(s));
    }
    String text = report.render();
    System.out.println();
    System.out.println(text);
    if (out != null) {
      Files.writeString(out, text);
    }
    return 0;
  }

  private static Duration sec(int seconds) {
    return Duration.ofSeconds(seconds);
  }
}
