package dev.sextant.bench.load;

import java.util.SplittableRandom;

/**
 * A batch of generated spans in columnar form, encoded the same way for every backend (OTLP for
 * Sextant, Zipkin proto3 for Zipkin) so both store the same logical data.
 */
final class SpanBatch {
  final SpanShape shape;
  final int size;
  final long[] traceHi;
  final long[] traceLo;
  final long[] spanId;
  final long[] parentId; // 0 = root
  final int[] service;
  final int[] operation;
  final long[] startNanos;
  final long[] durationNanos;
  final boolean[] error;
  final int[][] valueIndex; // [span][attribute] into shape.values[attribute]

  private SpanBatch(SpanShape shape, int size) {
    this.shape = shape;
    this.size = size;
    traceHi = new long[size];
    traceLo = new long[size];
    spanId = new long[size];
    parentId = new long[size];
    service = new int[size];
    operation = new int[size];
    startNanos = new long[size];
    durationNanos = new long[size];
    error = new boolean[size];
    valueIndex = new int[size][shape.attributes];
  }

  /**
   * Generates {@code size} spans as whole traces of {@code spansPerTrace} spans (the last trace
   * may be cut short): a root span, and children whose parent is the root.
   */
  static SpanBatch generate(SpanShape shape, SplittableRandom random, int size,
      int spansPerTrace, long nowNanos) {
    SpanBatch b = new SpanBatch(shape, size);
    long hi = 0;
    long lo = 0;
    long rootId = 0;
    long rootStart = 0;
    int rootService = 0;
    for (int i = 0; i < size; i++) {
      boolean root = i % spansPerTrace == 0;
      if (root) {
        hi = nonZero(random);
        lo = nonZero(random);
        rootId = nonZero(random);
        rootStart = nowNanos - 1_000_000_000L - random.nextLong(1_000_000_000L);
        rootService = random.nextInt(shape.services);
      }
      b.traceHi[i] = hi;
      b.traceLo[i] = lo;
      b.spanId[i] = root ? rootId : nonZero(random);
      b.parentId[i] = root ? 0 : rootId;
      b.service[i] = root ? rootService : random.nextInt(shape.services);
      b.operation[i] = b.service[i] * shape.operationsPerService
          + random.nextInt(shape.operationsPerService);
      b.startNanos[i] = root ? rootStart : rootStart + random.nextLong(1, 500_000_000L);
      b.durationNanos[i] = root ? 600_000_000L : random.nextLong(100_000L, 100_000_000L);
      b.error[i] = random.nextInt(100) == 0;
      for (int a = 0; a < shape.attributes; a++) {
        b.valueIndex[i][a] = random.nextInt(shape.valueCardinality);
      }
    }
    return b;
  }

  private static long nonZero(SplittableRandom random) {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }

  static String hex(long hi, long lo) {
    return String.format("%016x%016x", hi, lo);
  }
}
