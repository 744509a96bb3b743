package dev.sextant.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything a comparison run needs, resolved from the command line. {@code metricsHeap} is the
 * {@code -Xmx/-Xms} of Sextant in the metrics phase, or null: the launcher's JVM defaults
 * ({@link Servers#LAUNCHER_JVM_OPTIONS}), as {@code bin/sextant server} runs it. Both scrapers
 * scrape for {@code metricsWarmup} (not counted) before the {@code metricsWindow} is measured.
 */
record Settings(Path root, Path work, SpanShape shape, int clients, int batchSize,
    int spansPerTrace, List<Double> rates, Duration warmup, Duration fixedDuration,
    Duration flatDuration, int lookupTraces, int lookupSpans, int lookupRounds, String heap,
    Path zipkinJar, int zipkinMaxSpans, String prometheus, int series, Duration scrapeInterval,
    Duration metricsWarmup, Duration metricsWindow, int queryRounds,
    List<String> sextantJvmOptions, @Nullable String metricsHeap) {}
