package dev.sextant.bench.jmh;

import com.google.protobuf.ByteString;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.internal.LenientOtlpParser;
import dev.sextant.collector.internal.TraceConversion;
import dev.sextant.collector.internal.TraceConverter;
import dev.sextant.collector.internal.TraceWireDecoder;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Storage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * OTLP decode → store, per span: the bytes of an {@code ExportTraceServiceRequest} of 100 spans
 * (the collector testbed's shape: 10 attributes, 20-character keys and values) go through the
 * collector's direct wire decoder (TraceHandler's path: the lenient parser and converter only for
 * requests it declines) into embedded storage in a temp dir (RocksDB + Lucene, synced WAL). Scores are spans per second; {@code decodeOnly} leaves out the store.
 * As the load tool's spans, each attribute key takes one of 100 values and spans come in traces
 * of 10.
 *
 * <p>Each iteration also prints the process CPU time per span (from {@code /proc/self/stat}:
 * every thread, the storage's writer, indexer and merge threads included, JIT and GC too): on a
 * shared machine the wall-clock score mostly measures the neighbours.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OtlpIngestBench {
  static final int SPANS = 100;
  static final int SPANS_PER_TRACE = 10;
  static final int VALUES_PER_KEY = 100;

  @Param("10")
  public int attributes;

  Path dir;
  Storage storage;
  final LenientOtlpParser<ExportTraceServiceRequest> parser = new LenientOtlpParser<>(
      ExportTraceServiceRequest.parser(), Span.parser(), "span");
  TraceConverter converter;
  TraceWireDecoder wire;
  byte[][] requests;
  String[][] values;
  int next;
  long iterationSpans;
  long iterationCpuNanos;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("sextant-bench-otlp");
    storage = EmbeddedStorage.open(dir);
    converter = new TraceConverter(IngestLimits.defaults());
    wire = new TraceWireDecoder(IngestLimits.defaults());
    SplittableRandom rnd = new SplittableRandom(7);
    values = new String[attributes][VALUES_PER_KEY];
    for (String[] pool : values) {
      for (int v = 0; v < pool.length; v++) {
        pool[v] = text(rnd, 20);
      }
    }
    requests = new byte[64][];
    for (int i = 0; i < requests.length; i++) {
      requests[i] = request(rnd).toByteArray();
    }
    System.out.printf("%nOtlpIngestBench: %d spans per request, %d bytes%n", SPANS,
        requests[0].length);
  }

  private ExportTraceServiceRequest request(SplittableRandom rnd) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    ByteString traceId = null;
    for (int s = 0; s < SPANS; s++) {
      if (s % SPANS_PER_TRACE == 0) {
        traceId = ByteString.copyFrom(randomBytes(rnd, 16));
      }
      Span.Builder b = Span.newBuilder()
          .setTraceId(traceId)
          .setSpanId(ByteString.copyFrom(randomBytes(rnd, 8)))
          .setName("operation-" + rnd.nextInt(20))
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(now)
          .setEndTimeUnixNano(now + 1_000_000L + rnd.nextInt(50_000_000));
      for (int a = 0; a < attributes; a++) {
        b.addAttributes(KeyValue.newBuilder().setKey(String.format("load.attribute.k%04d", a))
            .setValue(AnyValue.newBuilder().setStringValue(
                values[a][rnd.nextInt(VALUES_PER_KEY)])));
      }
      scope.addSpans(b);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("bench"))))
        .addScopeSpans(scope)).build();
  }

  private static byte[] randomBytes(SplittableRandom rnd, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) rnd.nextInt(256);
    }
    b[0] |= 1; // never all zero (an invalid ID)
    return b;
  }

  private static String text(SplittableRandom rnd, int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = (char) ('a' + rnd.nextInt(26));
    }
    return new String(c);
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    iterationSpans = 0;
    iterationCpuNanos = Fixtures.processCpuNanos();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = Fixtures.processCpuNanos() - iterationCpuNanos;
    if (iterationSpans > 0 && cpu > 0) {
      System.out.printf("  [process CPU per span: %.1f us (%,d spans in %.2f CPU-s)]%n",
          cpu / 1e3 / iterationSpans, iterationSpans, cpu / 1e9);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    storage.close();
    Fixtures.deleteTree(dir);
  }

  private TraceConversion decode() throws Exception {
    byte[] body = requests[next++ & (requests.length - 1)];
    iterationSpans += SPANS;
    // As TraceHandler.parse: straight from the wire, the parser and converter when it declines.
    TraceConversion direct = wire.decode(body);
    return direct != null ? direct : converter.convert(parser.parse(body).request());
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public TraceConversion decodeOnly() throws Exception {
    return decode();
  }

  @Benchmark
  @OperationsPerInvocation(SPANS)
  public Object decodeAndStore() throws Exception {
    return storage.spanConsumer().accept(decode().spans()).join();
  }
}
