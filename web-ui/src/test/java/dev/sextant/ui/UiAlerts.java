package dev.sextant.ui;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.query.Sample;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real alert engine over the fixture's metrics: {@code PaymentsFailing} fires from the RED
 * error series, {@code CheckoutSlow} stays pending (its {@code for} is an hour), and notifications
 * go to a real local webhook so the audit trail has deliveries.
 */
final class UiAlerts implements AutoCloseable {
  static final String RULES = """
      groups:
        - name: shop
          interval: 1s
          rules:
            - alert: PaymentsFailing
              expr: sum by (service_name) (rate(traces_span_metrics_errors_total[5m])) > 0
              labels:
                severity: critical
              annotations:
                summary: "{{ $labels.service_name }} is failing"
                description: "error rate {{ $value }}/s"
                playbook: "https://wiki.example/playbooks/payments"
            - alert: CheckoutSlow
              expr: sum(rate(traces_span_metrics_calls_total{service_name="checkout"}[5m])) > 0
              for: 1h
              labels:
                severity: warning
        - name: recorded
          interval: 1s
          rules:
            - record: service:calls:rate5m
              expr: sum by (service_name) (rate(traces_span_metrics_calls_total[5m]))
      """;

  final Server hook;
  final AlertEngine engine;

  UiAlerts(Path dir, PromqlEngine promql) throws Exception {
    hook = Server.builder().http(0)
        .service("/hook", (ctx, req) -> HttpResponse.of(HttpStatus.OK)).build();
    hook.start().join();
    Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
    String notifier = """
        route:
          receiver: oncall
          group_by: [alertname, service_name]
          group_wait: 0s
          group_interval: 1s
        receivers:
          - name: oncall
            webhook_configs:
              - url: http://127.0.0.1:%d/hook
        """.formatted(hook.activeLocalPort());
    engine = AlertEngine.builder((expr, time) -> query(promql, expr, time.toEpochMilli()),
        dir.resolve("alerts"), NotifierConfig.parse(notifier, "")).build();
    for (RuleFileResult r : engine.loadRules(List.of(rules.toString()))) {
      if (!r.ok()) {
        throw new IllegalStateException("rules: " + r.errors());
      }
    }
  }

  /** Evaluates, dispatches and delivers until the firing alert's notification was delivered. */
  void fire() throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      engine.tick();
      if (engine.audit().list(10).stream().anyMatch(r -> r.outcome().equals("delivered"))) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no delivered notification within 20 s: " + engine.audit().list(10));
  }

  private static List<Sample> query(PromqlEngine promql, String expr, long timeMs) {
    QueryResult r = promql.instantQuery(expr, timeMs);
    List<Sample> out = new ArrayList<>();
    for (QueryResult.Sample s : r.vector()) {
      out.add(new Sample(s.labels(), s.value()));
    }
    return out;
  }

  @Override
  public void close() {
    engine.close();
    hook.stop().join();
  }
}
