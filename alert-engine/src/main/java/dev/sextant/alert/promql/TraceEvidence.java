package dev.sextant.alert.promql;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.query.compare.CompareQuery;
import dev.sextant.query.compare.Comparison;
import dev.sextant.query.compare.Difference;
import dev.sextant.query.compare.Selection;
import dev.sextant.query.compare.TraceComparer;
import dev.sextant.query.critpath.CriticalPathQuery;
import dev.sextant.query.critpath.CriticalPathReport;
import dev.sextant.query.critpath.CriticalPaths;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.Labels;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evidence for a page: the alert's service (label {@code service}, {@code service_name} or
 * {@code job}) and operation ({@code operation} or {@code span_name}) select up to five failed
 * traces in the alert's window (else the slowest), and its most frequent error log lines.
 *
 * <p>Findings: the three values that most set the window's failing traces apart from the others
 * ({@link dev.sextant.query.compare.TraceComparer}, e.g. "82 % of failing traces have
 * payment.provider=acme, 3 % of the others") and the operation whose share of the critical path
 * grew most against the window before ({@link dev.sextant.query.critpath.CriticalPaths}), each
 * linking to its UI view. The critical path is the alert's operation's, else that of the root
 * operation of its slowest trace (the entry point it is reached through). A latency alert (an
 * {@code alertname} naming latency, slowness, duration or a p90/p95/p99) names any growth; any
 * other names one of at least {@value #SHIFT_POINTS} points of mean share. The window is the
 * alert's, at least 15 minutes; when the one before it holds no trace or shows less growth (an
 * incident minutes into a fresh start), 5-, 2- and 1-minute windows ending now are tried too. They read at most {@value #FINDING_TRACES} traces per side or
 * window, so a page is not held up by a busy hour; a failure there leaves the traces and logs.
 */
public final class TraceEvidence implements EvidenceProvider {
  private static final Logger logger = LoggerFactory.getLogger(TraceEvidence.class);
  private static final int SEVERITY_ERROR = 17;
  static final int FINDING_TRACES = 100;
  private static final int FINDING_SPANS = 20_000;
  private static final int DIFFERENCES = 3;
  /** Growth in mean share, in points, that makes the critical path news for a non-latency alert. */
  static final int SHIFT_POINTS = 10;
  private static final long[] SHORTER_WINDOWS_MIN = {5, 2, 1};
  private static final Pattern LATENCY =
      Pattern.compile("(?i).*(latency|slow|duration|p9[059]|response.?time).*");

  private final Storage storage;
  private final String uiUrl;
  private final TraceComparer comparer;
  private final CriticalPaths paths;

  /** Evidence from {@code storage}, with trace links into the UI at {@code uiUrl}. */
  public TraceEvidence(Storage storage, String uiUrl) {
    this.storage = Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(uiUrl, "uiUrl");
    this.uiUrl = uiUrl.endsWith("/") ? uiUrl.substring(0, uiUrl.length() - 1) : uiUrl;
    this.comparer = TraceComparer.builder().storage(storage).maxTracesPerSide(FINDING_TRACES)
        .maxSpans(FINDING_SPANS).build();
    this.paths = CriticalPaths.builder().storage(storage).maxTraces(FINDING_TRACES)
        .maxSpans(FINDING_SPANS).build();
  }

  @Override
  public Evidence find(Labels alert, Instant from, Instant to) {
    String service = first(alert, "service", "service_name", "job");
    if (service.contains("/")) {
      service = service.substring(service.indexOf('/') + 1); // job "namespace/service"
    }
    String operation = first(alert, "operation", "span_name");
    if (service.isEmpty()) {
      return Evidence.NONE;
    }
    // Look back at least 15 minutes: a `for` window alone may be too short to hold a trace.
    Instant start = from.isAfter(to.minus(Duration.ofMinutes(15)))
        ? to.minus(Duration.ofMinutes(15)) : from;
    long fromNs = start.toEpochMilli() * 1_000_000L;
    long toNs = to.toEpochMilli() * 1_000_000L + 1;
    List<Evidence.Link> traces = new ArrayList<>();
    String rootService = service;
    String rootOperation = operation;
    for (boolean errors : new boolean[] {true, false}) {
      var q = TraceQuery.builder().serviceName(service).timeRange(fromNs, toNs)
          .limit(Evidence.MAX_ITEMS).errorsOnly(errors).order(TraceQuery.Order.DURATION_DESC);
      if (!operation.isEmpty()) {
        q.spanName(operation);
      }
      for (TraceSummary t : storage.spanSearch().search(q.build())) {
        if (rootOperation.isEmpty() && !t.rootSpanName().isEmpty()) {
          // the entry point of the slowest (or a failed) trace
          rootService = t.rootServiceName();
          rootOperation = t.rootSpanName();
        }
        if (traces.size() < Evidence.MAX_ITEMS
            && traces.stream().noneMatch(l -> l.href().endsWith(t.traceId()))) {
          traces.add(new Evidence.Link(uiUrl + "/ui/traces/" + t.traceId(),
              t.rootServiceName() + " " + t.rootSpanName() + " "
                  + String.format("%.3fs", t.durationNanos() / 1e9)
                  + (t.errorCount() > 0 ? " error" : "")));
        }
      }
    }
    List<Evidence.Finding> findings = new ArrayList<>();
    try {
      findings.addAll(differences(service, operation, fromNs, toNs));
      if (!rootOperation.isEmpty()) {
        boolean latency = LATENCY.matcher(first(alert, "alertname")).matches();
        findings.addAll(criticalPath(rootService, rootOperation, fromNs, toNs,
            latency ? 1e-9 : SHIFT_POINTS / 100.0));
      }
    } catch (RuntimeException e) {
      logger.warn("findings for {} failed: {}", alert, e.toString());
    }
    return new Evidence(traces, topErrorLines(service, fromNs, toNs), findings);
  }

  private List<Evidence.Finding> differences(String service, String operation, long fromNs,
      long toNs) {
    Comparison c = comparer.compare(new CompareQuery(service, operation, Selection.errors(),
        fromNs, toNs, DIFFERENCES));
    List<Evidence.Finding> out = new ArrayList<>();
    String href = uiUrl + "/ui/compare?service=" + enc(service) + "&operation=" + enc(operation)
        + "&selection=error&lookback=1h";
    for (Difference d : c.differences()) {
      out.add(new Evidence.Finding(d.describe(c.selectionNoun()), href));
    }
    return out;
  }

  private List<Evidence.Finding> criticalPath(String service, String operation, long fromNs,
      long toNs, double minGrowth) {
    CriticalPathReport.Row g = grewMost(service, operation, fromNs, toNs, minGrowth);
    for (int i = 0; g == null && i < SHORTER_WINDOWS_MIN.length; i++) {
      long from = toNs - SHORTER_WINDOWS_MIN[i] * 60_000_000_000L;
      if (from > fromNs) {
        fromNs = from;
        g = grewMost(service, operation, fromNs, toNs, minGrowth);
      }
    }
    if (g == null) {
      return List.of();
    }
    String text = String.format(Locale.ROOT, "Critical path of %s %s: %s %s grew from %.0f %% to"
        + " %.0f %% of the time (mean share, against the %d min before)", service, operation,
        g.service(), g.operation(), g.previous().mean() * 100, g.current().mean() * 100,
        (toNs - fromNs) / 60_000_000_000L);
    return List.of(new Evidence.Finding(text, uiUrl + "/ui/services/"
        + enc(service).replace("+", "%20") + "/critical-path?operation=" + enc(operation)
        + "&range=1h"));
  }

  private CriticalPathReport.@Nullable Row grewMost(String service, String operation,
      long fromNs, long toNs, double minGrowth) {
    CriticalPathReport.Row g = paths.aggregate(new CriticalPathQuery(service, operation, fromNs,
        toNs)).grewMost();
    return g != null && g.current().mean() - g.previous().mean() >= minGrowth ? g : null;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private List<Evidence.LogLine> topErrorLines(String service, long fromNs, long toNs) {
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, String> severity = new LinkedHashMap<>();
    for (LogRecord r : storage.logReader().search(LogQuery.builder().serviceName(service)
        .minSeverity(SEVERITY_ERROR).timeRange(fromNs, toNs).limit(500).build()).records()) {
      // Digits vary between otherwise identical lines (ids, amounts): group by the shape.
      String shape = r.body().replaceAll("\\d+", "N");
      counts.computeIfAbsent(shape, k -> new long[1])[0]++;
      severity.putIfAbsent(shape, r.severityText().isEmpty() ? "ERROR" : r.severityText());
    }
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    List<Evidence.LogLine> out = new ArrayList<>();
    for (var e : sorted) {
      if (out.size() == Evidence.MAX_ITEMS) {
        break;
      }
      out.add(new Evidence.LogLine(e.getKey(), e.getValue()[0], service,
          severity.get(e.getKey())));
    }
    return out;
  }

  private static String first(Labels l, String... names) {
    for (String n : names) {
      if (l.has(n)) {
        return l.get(n);
      }
    }
    return "";
  }
}
