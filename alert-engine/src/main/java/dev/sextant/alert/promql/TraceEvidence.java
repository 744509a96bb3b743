package dev.sextant.alert.promql;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Evidence for a page: the alert's service (label {@code service}, {@code service_name} or
 * {@code job}) and operation ({@code operation} or {@code span_name}) select up to five failed
 * traces in the alert's window (else the slowest), and its most frequent error log lines.
 */
public final class TraceEvidence implements EvidenceProvider {
  private static final int SEVERITY_ERROR = 17;

  private final Storage storage;
  private final String uiUrl;

  /** Evidence from {@code storage}, with trace links into the UI at {@code uiUrl}. */
  public TraceEvidence(Storage storage, String uiUrl) {
    this.storage = Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(uiUrl, "uiUrl");
    this.uiUrl = uiUrl.endsWith("/") ? uiUrl.substring(0, uiUrl.length() - 1) : uiUrl;
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
    for (boolean errors : new boolean[] {true, false}) {
      var q = TraceQuery.builder().serviceName(service).timeRange(fromNs, toNs)
          .limit(Evidence.MAX_ITEMS).errorsOnly(errors).order(TraceQuery.Order.DURATION_DESC);
      if (!operation.isEmpty()) {
        q.spanName(operation);
      }
      for (TraceSummary t : storage.spanSearch().search(q.build())) {
        if (traces.size() < Evidence.MAX_ITEMS
            && traces.stream().noneMatch(l -> l.href().endsWith(t.traceId()))) {
          traces.add(new Evidence.Link(uiUrl + "/ui/traces/" + t.traceId(),
              t.rootServiceName() + " " + t.rootSpanName() + " "
                  + String.format("%.3fs", t.durationNanos() / 1e9)
                  + (t.errorCount() > 0 ? " error" : "")));
        }
      }
    }
    return new Evidence(traces, topErrorLines(service, fromNs, toNs));
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
