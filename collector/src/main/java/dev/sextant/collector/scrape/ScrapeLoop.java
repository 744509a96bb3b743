package dev.sextant.collector.scrape;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.SampleBatch;
import dev.sextant.storage.metrics.SeriesRef;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the exposition bodies of one target, scrape after scrape, into the series to write: the
 * scraped samples with {@code job} and {@code instance} (a clashing scraped label is kept as
 * {@code exported_job}/{@code exported_instance}), staleness markers for series that were in the
 * previous scrape but not in this one (or all of them when the scrape failed), then {@code up},
 * {@code scrape_duration_seconds} and {@code scrape_samples_scraped}.
 *
 * <p>Series are cached by their exposition text, as Prometheus's scrape cache does: a line whose
 * series text was seen before costs a hash of its bytes and the parse of its value. Samples
 * without an exposition timestamp get the scrape time; explicit timestamps are kept as given, and
 * such series get no staleness marker (Prometheus semantics). A series repeated within one body
 * keeps its first sample. Each series carries a {@link SeriesRef}, so a store appends the
 * samples of known series by reference ({@link #scrapedSamples}): no object per sample, no label
 * lookup per sample. One instance per target; not thread-safe.
 */
public final class ScrapeLoop {
  /**
   * A scrape over one of its job's limits ({@code sample_limit}, {@code label_limit},
   * {@code label_name_length_limit}, {@code label_value_length_limit}): the whole scrape fails,
   * as in Prometheus. The message is Prometheus's, naming the limit.
   */
  public static final class LimitExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LimitExceededException(String message) {
      super(message);
    }
  }

  private final String job;
  private final String instance;
  private final int sampleLimit;
  private final int labelLimit;
  private final int labelNameLengthLimit;
  private final int labelValueLengthLimit;
  private final SeriesCache cache = new SeriesCache();
  private final Map<Labels, SeriesCache.Entry> byLabels = new HashMap<>();
  private final SeriesRef up;
  private final SeriesRef duration;
  private final SeriesRef scraped;
  private List<SeriesCache.Entry> previous = new ArrayList<>();
  private List<MetricMetadata> metadata = List.of();
  private long scrapes;

  private ScrapeLoop(String job, String instance, int sampleLimit, int labelLimit,
      int labelNameLengthLimit, int labelValueLengthLimit) {
    this.job = job;
    this.instance = instance;
    this.sampleLimit = sampleLimit;
    this.labelLimit = labelLimit;
    this.labelNameLengthLimit = labelNameLengthLimit;
    this.labelValueLengthLimit = labelValueLengthLimit;
    up = meta("up");
    duration = meta("scrape_duration_seconds");
    scraped = meta("scrape_samples_scraped");
  }

  /** A loop for the target {@code instance} ({@code host:port}) of the job {@code job}. */
  public static ScrapeLoop of(String job, String instance) {
    return new ScrapeLoop(requireNonNull(job, "job"), requireNonNull(instance, "instance"),
        0, 0, 0, 0);
  }

  /** A loop for the target {@code instance} of {@code config}'s job, with its limits. */
  public static ScrapeLoop of(ScrapeConfig config, String instance) {
    return new ScrapeLoop(config.jobName(), requireNonNull(instance, "instance"),
        config.sampleLimit(), config.labelLimit(), config.labelNameLengthLimit(),
        config.labelValueLengthLimit());
  }

  /**
   * The series to write for a successful scrape of {@code body} at {@code scrapeTime} (unix ms).
   *
   * @param openMetrics true for {@code application/openmetrics-text}
   * @throws TextFormatParser.ParseException when the body is not valid exposition text; nothing
   *     changed then: call {@link #failed} for the failed scrape
   * @throws LimitExceededException when the body is over one of the job's limits; call
   *     {@link #failed} likewise
   */
  public List<TimeSeries> scraped(byte[] body, boolean openMetrics, long scrapeTime,
      double durationSeconds) throws TextFormatParser.ParseException {
    return scrapedSamples(body, openMetrics, scrapeTime, durationSeconds).toTimeSeries();
  }

  /**
   * What {@link #scraped} returns, as a {@link SampleBatch} of the series' references, for
   * {@link dev.sextant.storage.metrics.MetricWriter#append(SampleBatch)}.
   *
   * @throws TextFormatParser.ParseException as {@link #scraped}
   * @throws LimitExceededException as {@link #scraped}
   */
  public SampleBatch scrapedSamples(byte[] body, boolean openMetrics, long scrapeTime,
      double durationSeconds) throws TextFormatParser.ParseException {
    long scrape = ++scrapes;
    List<SeriesCache.Entry> seen = new ArrayList<>(Math.max(16, previous.size()));
    SampleBatch out = new SampleBatch(previous.size() + 8);
    ExpositionReader reader = new ExpositionReader(body, openMetrics);
    int samples = 0;
    while (reader.next()) {
      SeriesCache.Entry e = cache.get(body, reader.seriesFrom, reader.seriesTo, reader.hash);
      double value;
      long time;
      if (e != null && reader.fastValue()) {
        value = reader.value;
        time = reader.time;
      } else {
        ScrapedSample s = reader.slowSample();
        if (s == null) {
          continue; // an OpenMetrics _created series
        }
        value = s.value();
        time = s.timestampMillis();
        if (e == null) {
          e = entryOf(s.labels());
          if (reader.seriesTo > reader.seriesFrom) {
            cache.put(body, reader.seriesFrom, reader.seriesTo, reader.hash, e);
          }
        }
      }
      if (++samples > sampleLimit && sampleLimit > 0) {
        throw new LimitExceededException("sample limit exceeded (sample_limit: " + sampleLimit
            + ")");
      }
      if (e.seenIn == scrape) {
        continue; // the same series twice in one body: the first sample wins
      }
      e.seenIn = scrape;
      e.explicitTime = time >= 0;
      seen.add(e);
      out.add(e.ref, time >= 0 ? time : scrapeTime, value);
    }
    boolean gone = false;
    for (SeriesCache.Entry e : previous) {
      if (e.seenIn != scrape) {
        gone = true;
        if (!e.explicitTime) {
          out.add(e.ref, scrapeTime, StaleMarker.VALUE);
        }
        byLabels.remove(e.labels);
      }
    }
    if (gone || cache.size() > 2 * seen.size() + 64) {
      cache.retainSeenIn(scrape);
    }
    previous = seen;
    metadata = reader.metadata();
    addMeta(out, scrapeTime, 1, durationSeconds, samples);
    return out;
  }

  /**
   * The metric metadata ({@code # TYPE}, {@code # HELP}, {@code # UNIT}) of the last successful
   * scrape; empty before one.
   */
  public List<MetricMetadata> metadata() {
    return metadata;
  }

  /**
   * The series to write for a failed scrape at {@code scrapeTime}: staleness markers for every
   * series of the previous scrape, {@code up 0}.
   */
  public List<TimeSeries> failed(long scrapeTime, double durationSeconds) {
    return failedSamples(scrapeTime, durationSeconds).toTimeSeries();
  }

  /** What {@link #failed} returns, as a {@link SampleBatch}. */
  public SampleBatch failedSamples(long scrapeTime, double durationSeconds) {
    scrapes++;
    SampleBatch out = new SampleBatch(previous.size() + 3);
    for (SeriesCache.Entry e : previous) {
      if (!e.explicitTime) {
        out.add(e.ref, scrapeTime, StaleMarker.VALUE);
      }
    }
    previous = new ArrayList<>();
    cache.clear();
    byLabels.clear();
    addMeta(out, scrapeTime, 0, durationSeconds, 0);
    return out;
  }

  private void addMeta(SampleBatch out, long time, double upValue, double seconds,
      int samples) {
    out.add(up, time, upValue);
    out.add(duration, time, seconds);
    out.add(scraped, time, samples);
  }

  /** One entry per distinct label set, even when two exposition texts spell it. */
  private SeriesCache.Entry entryOf(Labels exposed) {
    Labels l = withTargetLabels(exposed);
    SeriesCache.Entry e = byLabels.get(l);
    if (e == null) {
      // Checked once per series: a cached series passed already.
      checkLabels(l);
      e = new SeriesCache.Entry(l);
      byLabels.put(l, e);
    }
    return e;
  }

  /** Prometheus's {@code verifyLabelLimits}, with its messages (metric and names cut at 50). */
  private void checkLabels(Labels l) {
    String metric = cut(l.metricName());
    if (labelLimit > 0 && l.size() > labelLimit) {
      throw new LimitExceededException("label_limit exceeded (metric: " + metric
          + ", number of labels: " + l.size() + ", limit: " + labelLimit + ")");
    }
    if (labelNameLengthLimit == 0 && labelValueLengthLimit == 0) {
      return;
    }
    for (int i = 0; i < l.size(); i++) {
      String name = l.name(i);
      String value = l.value(i);
      if (labelNameLengthLimit > 0 && name.length() > labelNameLengthLimit) {
        throw new LimitExceededException("label_name_length_limit exceeded (metric: " + metric
            + ", label name: " + cut(name) + ", length: " + name.length() + ", limit: "
            + labelNameLengthLimit + ")");
      }
      if (labelValueLengthLimit > 0 && value.length() > labelValueLengthLimit) {
        throw new LimitExceededException("label_value_length_limit exceeded (metric: " + metric
            + ", label name: " + cut(name) + ", value: \"" + cut(value) + "\", length: "
            + value.length() + ", limit: " + labelValueLengthLimit + ")");
      }
    }
  }

  private static String cut(String s) {
    return s.length() <= 50 ? s : s.substring(0, 50);
  }

  private SeriesRef meta(String name) {
    return new SeriesRef(Labels.of(Labels.NAME, name, "job", job, "instance", instance));
  }

  private Labels withTargetLabels(Labels exposed) {
    TreeMap<String, String> m = exposed.toMap();
    String exportedJob = m.remove("job");
    String exportedInstance = m.remove("instance");
    if (exportedJob != null) {
      m.put("exported_job", exportedJob);
    }
    if (exportedInstance != null) {
      m.put("exported_instance", exportedInstance);
    }
    m.put("job", job);
    m.put("instance", instance);
    return Labels.of(m);
  }

  /** Bytes that are not UTF-8 text still decode (to U+FFFD), as {@code new String} does. */
  static String text(byte[] body, int from, int to) {
    return new String(body, from, to - from, StandardCharsets.UTF_8);
  }
}
