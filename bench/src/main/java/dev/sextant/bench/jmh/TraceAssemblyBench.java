package dev.sextant.bench.jmh;

import dev.sextant.query.trace.Trace;
import dev.sextant.query.trace.TraceAssembler;
import dev.sextant.storage.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Trace assembly (tree, clock-skew adjustment, critical path) of one 10,000-span trace spread
 * over 20 services, each span a child of a random earlier one. Score: traces per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TraceAssemblyBench {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Param("10000")
  public int spans;

  List<Span> trace;

  @Setup
  public void setUp() {
    SplittableRandom rnd = new SplittableRandom(3);
    long[] start = new long[spans];
    long[] end = new long[spans];
    trace = new ArrayList<>(spans);
    start[0] = 1_000_000_000L;
    end[0] = start[0] + 10_000_000_000L;
    trace.add(span(0, -1, start[0], end[0], rnd));
    for (int i = 1; i < spans; i++) {
      int parent = rnd.nextInt(i);
      long len = Math.max(1, (end[parent] - start[parent]) / 2);
      start[i] = start[parent] + rnd.nextLong(len);
      end[i] = start[i] + 1 + rnd.nextLong(Math.max(1, end[parent] - start[i]));
      trace.add(span(i, parent, start[i], end[i], rnd));
    }
    Collections.shuffle(trace, new Random(5));
  }

  private static Span span(int i, int parent, long start, long end, SplittableRandom rnd) {
    return Span.builder().traceId(TRACE).spanId(id(i)).parentSpanId(parent < 0 ? "" : id(parent))
        .name("op-" + rnd.nextInt(50)).serviceName("svc-" + rnd.nextInt(20))
        .startTimeUnixNano(start).endTimeUnixNano(end).build();
  }

  private static String id(int i) {
    return String.format("%016x", i + 1);
  }

  @Benchmark
  public Trace assemble() {
    return TraceAssembler.assemble(TRACE, trace);
  }
}
