package dev.sextant.ui;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.Storage;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Builds a {@link WebUi}. {@link #storage(Storage)} is required; the rest is optional. */
public final class WebUiBuilder {
  Storage storage;
  PromqlEngine promql;
  Supplier<AlertEngine> alerts;
  EvidenceProvider evidence;
  Path playbooksDir;

  WebUiBuilder() {}

  /** The storage the pages read, in-process (span search, logs, the service map). */
  public WebUiBuilder storage(Storage storage) {
    this.storage = requireNonNull(storage, "storage");
    return this;
  }

  /**
   * The PromQL engine behind the metrics explorer and the services' golden signals. Defaults to
   * an engine over the storage's metrics with {@link EngineOptions#defaults()}; pass the server's
   * own so that its limits (max samples, timeout) apply to the UI too.
   */
  public WebUiBuilder promql(PromqlEngine promql) {
    this.promql = requireNonNull(promql, "promql");
    return this;
  }

  /**
   * The alert engine whose rules, alerts, silences and audit trail the alerts page shows and whose
   * silences it edits. Without one the page says alerting is not configured.
   */
  public WebUiBuilder alerts(AlertEngine alerts) {
    requireNonNull(alerts, "alerts");
    this.alerts = () -> alerts;
    return this;
  }

  /**
   * As {@link #alerts(AlertEngine)}, resolved per request: {@code engines} is called inside the
   * request's context (on its blocking executor) and returns the engine of whoever the request
   * acts for, e.g. its tenant's; null there means alerting is off for that request.
   */
  public WebUiBuilder alerts(Supplier<AlertEngine> engines) {
    this.alerts = requireNonNull(engines, "engines");
    return this;
  }

  /**
   * Finds the example traces and error log lines shown next to a firing alert (the same evidence
   * the pages carry). Without one, firing alerts link to a trace search of their service.
   */
  public WebUiBuilder evidence(EvidenceProvider evidence) {
    this.evidence = requireNonNull(evidence, "evidence");
    return this;
  }

  /**
   * Markdown playbooks served read-only as pages at {@code /playbooks/{name}} and listed at
   * {@code /playbooks/} (default: none, and no Playbooks entry in the nav). See
   * {@link dev.sextant.ui.internal.PlaybookService} for which names are served.
   */
  public WebUiBuilder playbooksDir(Path dir) {
    this.playbooksDir = requireNonNull(dir, "dir");
    return this;
  }

  /**
   * Builds the UI; templates are compiled lazily on first use.
   *
   * @throws IllegalStateException when no storage was set
   */
  public WebUi build() {
    if (storage == null) {
      throw new IllegalStateException("storage: not set (expected: a Storage)");
    }
    if (promql == null) {
      promql = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
    }
    return new DefaultWebUi(this);
  }
}
