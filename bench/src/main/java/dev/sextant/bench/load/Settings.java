package dev.sextant.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything a comparison run needs, resolved from the command line. */
record Settings(Path root, Path work, SpanShape shape, int clients, int batchSize,
    int spansPerTrace, List<Double> rates, Duration warmup, Duration fixedDuration,
    Duration flatDuration, int lookupTraces, int lookupSpans, int lookupRounds, String heap,
    Path zipkinJar, int zipkinMaxSpans, String prometheus, int series, Duration scrapeInterval,
    Duration metricsWindow, int queryRounds, List<String> sextantJvmOptions) {}
