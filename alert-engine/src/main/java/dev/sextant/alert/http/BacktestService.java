package dev.sextant.alert.http;

import java.util.Objects;
import dev.sextant.alert.notify.Silence;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.common.util.TimeoutMode;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.backtest.Backtest;
import dev.sextant.alert.promql.PromqlExprChecker;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.alert.rules.RuleFiles;
import dev.sextant.query.JsonErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import java.util.concurrent.CancellationException;

/**
 * {@code POST /api/alerts/backtest?from=T&to=T[&step=30s][&silence=MATCHERS...]} with a rule
 * file (YAML) as the body: replays the rules over stored history with the server's routing and
 * inhibition, silencing alerts that match a {@code silence} (comma-separated Alertmanager
 * matchers) for the whole range, and answers the alert timeline and the pages each receiver
 * would have got. At most 7 days, 20,000 steps and {@link Backtest#MAX_EVALUATIONS} rule
 * evaluations (400 before anything runs); a replay running past its deadline (the
 * {@code alerting.backtestTimeout} setting, 30 s by default) is stopped and answered 503, and a
 * client that goes away stops it too. The rules query the request's scope's (tenant's) metrics
 * only.
 */
final class BacktestService implements HttpService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_RANGE = Duration.ofDays(7);

  private final AlertApi.Engines engines;
  private final Duration timeout;

  /** A service whose replays stop after {@code timeout}. */
  BacktestService(AlertApi.Engines engines, Duration timeout) {
    this.engines = Objects.requireNonNull(engines, "engines");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    // The request may outlive the replay's own deadline by a margin, so the answer is the
    // replay's 503 rather than Armeria's bare request timeout.
    ctx.setRequestTimeout(TimeoutMode.SET_FROM_START, timeout.plusSeconds(10));
    // Taken here, inside the request: the replay runs on another thread.
    String tenant = engines.current();
    QueryParams p = ctx.queryParams();
    Instant from;
    Instant to;
    Duration step;
    List<String> silences = p.getAll("silence");
    try {
      from = BacktestInputs.time("from", p.get("from"));
      to = BacktestInputs.time("to", p.get("to"));
      step = p.get("step") == null ? Duration.ofSeconds(30) : BacktestInputs.step(p.get("step"));
    } catch (IllegalArgumentException e) {
      return JsonErrors.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (!to.isAfter(from) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      return JsonErrors.of(HttpStatus.BAD_REQUEST, "to: " + to
          + " (expected: after from and at most 7 days later)");
    }
    if (step.isZero() || step.isNegative()
        || Duration.between(from, to).dividedBy(step) > 20_000) {
      return JsonErrors.of(HttpStatus.BAD_REQUEST, "step: " + step
          + " (expected: > 0 and at most 20000 steps in the range)");
    }
    return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
      RuleFileResult rules = RuleFiles.parse("request body", agg.contentUtf8(),
          new PromqlExprChecker());
      if (!rules.ok()) {
        return JsonErrors.of(HttpStatus.BAD_REQUEST, "rules: " + rules.errors());
      }
      NotifierConfig notifier = engines.notifier(tenant);
      QueryFunction query = engines.query(tenant);
      Backtest bt = new Backtest(rules.groups(), query, notifier.route()).step(step)
          .deadline(timeout).cancelWhen(() -> ctx.isCancelled());
      long evaluations = bt.evaluations(from, to);
      if (evaluations > Backtest.MAX_EVALUATIONS) {
        return JsonErrors.of(HttpStatus.BAD_REQUEST, "backtest: " + evaluations
            + " rule evaluations (limit: " + Backtest.MAX_EVALUATIONS
            + "; shorten the range or send fewer rules)");
      }
      notifier.inhibitRules().forEach(bt::inhibitRule);
      int n = 0;
      for (String m : silences) {
        try {
          bt.silence(new Silence("backtest-" + n++,
              BacktestInputs.matchers(m), from, to,
              "backtest", "silence parameter"));
        } catch (IllegalArgumentException e) {
          return JsonErrors.of(HttpStatus.BAD_REQUEST, "silence: " + m + " (" + e.getMessage()
              + ")");
        }
      }
      try {
        return json(bt.run(from, to));
      } catch (Backtest.DeadlineExceededException e) {
        return JsonErrors.of(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()
            + "; the limit is alerting.backtestTimeout");
      } catch (CancellationException e) {
        return JsonErrors.of(HttpStatus.valueOf(499), e.getMessage()); // nobody is listening
      }
    }, ctx.blockingTaskExecutor()));
  }

  private static HttpResponse json(Backtest.Result r) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode timeline = out.putArray("timeline");
    for (Backtest.Transition t : r.timeline()) {
      ObjectNode o = timeline.addObject();
      o.put("time", t.time().toString());
      o.put("alert", t.alert().toString());
      o.put("to", t.to());
      o.put("value", t.value());
    }
    ArrayNode pages = out.putArray("pages");
    for (Backtest.Page pg : r.pages()) {
      ObjectNode o = pages.addObject();
      o.put("time", pg.time().toString());
      o.put("receiver", pg.receiver());
      o.put("status", pg.status());
      o.put("groupKey", pg.groupKey());
      o.put("firing", pg.firing());
      o.put("resolved", pg.resolved());
    }
    out.put("text", r.format());
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(out));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
