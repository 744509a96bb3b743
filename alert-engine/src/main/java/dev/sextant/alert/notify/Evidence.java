package dev.sextant.alert.notify;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the person on call needs besides the alert: example traces (UI links, slowest or failed in
 * the alert's window), the most frequent correlated error log lines, and findings (what sets the
 * failing traces apart, which operation's share of the critical path grew). Attached to firing
 * notifications; receivers put it in PagerDuty links/custom_details and the webhook body.
 */
public record Evidence(List<Link> traces, List<LogLine> logs, List<Finding> findings) {
  /** At most this many traces, log lines and findings are attached. */
  public static final int MAX_ITEMS = 5;
  /** No traces, no logs: what a provider answers when it finds nothing. */
  public static final Evidence NONE = new Evidence(List.of(), List.of());

  public Evidence {
    traces = List.copyOf(requireNonNull(traces, "traces")).subList(0, Math.min(traces.size(), MAX_ITEMS));
    logs = List.copyOf(requireNonNull(logs, "logs")).subList(0, Math.min(logs.size(), MAX_ITEMS));
    findings = List.copyOf(requireNonNull(findings, "findings"))
        .subList(0, Math.min(findings.size(), MAX_ITEMS));
  }

  /** Traces and log lines, no findings. */
  public Evidence(List<Link> traces, List<LogLine> logs) {
    this(traces, logs, List.of());
  }

  /** True when there are neither traces, log lines nor findings. */
  public boolean isEmpty() {
    return traces.isEmpty() && logs.isEmpty() && findings.isEmpty();
  }

  /**
   * A sentence for the person on call, e.g. "80 % of failing traces have payment.provider=acme,
   * 3 % of the others", with the UI view that shows it in full.
   */
  public record Finding(String text, String href) {
    public Finding {
      requireNonNull(text, "text");
      requireNonNull(href, "href");
    }
  }

  /** A link to a trace in the UI, e.g. text "checkout POST /pay 2.3s error". */
  public record Link(String href, String text) {
    public Link {
      requireNonNull(href, "href");
      requireNonNull(text, "text");
    }
  }

  /** A log message pattern and how often it occurred in the window. */
  public record LogLine(String message, long count, String service, String severity) {
    public LogLine {
      requireNonNull(message, "message");
      service = service == null ? "" : service;
      severity = severity == null ? "" : severity;
    }
  }
}
