package dev.sextant.server.cli;

import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.backtest.Backtest;
import dev.sextant.alert.http.BacktestInputs;
import dev.sextant.alert.promql.PromqlExprChecker;
import dev.sextant.alert.promql.PromqlQueryFunction;
import dev.sextant.alert.promql.ScratchStoreEngine;
import dev.sextant.alert.promtool.PromtoolTestRunner;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.alert.rules.RuleFiles;
import dev.sextant.alert.rules.RuleGroupConfig;
import dev.sextant.alert.rules.RulesCheck;
import dev.sextant.query.Durations;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.server.config.ConfigLoader;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Storage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sextant rules check|test|backtest}: promtool's rule tooling on Sextant's engine. */
@Command(name = "rules", mixinStandardHelpOptions = true,
    description = "Check, unit-test and backtest Prometheus rule files.",
    subcommands = {RulesCommand.Check.class, RulesCommand.Test.class,
        RulesCommand.BacktestCmd.class})
final class RulesCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Validate rule files like `promtool check rules`; also warns about alerts "
          + "without a playbook/runbook_url annotation or with a malformed URL.")
  static final class Check implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rule files or globs.")
    List<String> files;

    @Option(names = "--lint-fatal", description = "Exit 1 on warnings too.")
    boolean lintFatal;

    @Override
    public Integer call() {
      Logging.setLevel("WARN");
      return RulesCheck.run(files, new PromqlExprChecker(), lintFatal, System.out, System.err);
    }
  }

  @Command(name = "test", mixinStandardHelpOptions = true,
      description = "Run rule unit tests in the `promtool test rules` format.")
  static final class Test implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Test files.")
    List<Path> files;

    @Override
    public Integer call() {
      Logging.setLevel("WARN");
      PromtoolTestRunner runner = new PromtoolTestRunner(ScratchStoreEngine.factory(),
          new PromqlExprChecker());
      boolean ok = true;
      for (Path f : files) {
        PromtoolTestRunner.Result r = runner.run(f);
        System.out.print(r.output());
        ok &= r.passed();
      }
      return ok ? 0 : 1;
    }
  }

  @Command(name = "backtest", mixinStandardHelpOptions = true,
      description = "Replay rules over stored history and print the alert timeline and the pages "
          + "each receiver would have got. Run it on a stopped server's data directory (or a "
          + "copy): the store is opened exclusively.")
  static final class BacktestCmd implements Callable<Integer> {
    @Option(names = "--rules", required = true, paramLabel = "FILE", description = "Rule files.")
    List<String> rules;

    @Option(names = "--from", required = true, paramLabel = "TIME",
        description = "Start, RFC 3339 (2026-11-27T10:00:00Z) or unix seconds.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End.")
    String to;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default ./data).")
    Path dataDir = Path.of("data");

    @Option(names = "--config", paramLabel = "FILE",
        description = "Sextant config whose alerting.notifier routes the pages.")
    Path config;

    @Option(names = "--silence", paramLabel = "MATCHERS",
        description = "Silence alerts matching these comma-separated matchers for the whole "
            + "range, e.g. --silence 'alertname=\"HighLatency\",env=\"staging\"'. Repeatable.")
    List<String> silences = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Stop the replay after "
        + "this long (default 5m). A replay is also refused up front past "
        + Backtest.MAX_EVALUATIONS + " rule evaluations (rules x evaluations over the range).")
    String timeout = "5m";

    @Override
    public Integer call() {
      Logging.setLevel("WARN");
      Instant start = BacktestInputs.time("--from", from);
      Instant end = BacktestInputs.time("--to", to);
      if (!end.isAfter(start)) {
        throw new IllegalArgumentException("--to: " + to + " (expected: after --from " + from + ")");
      }
      List<RuleGroupConfig> groups = new ArrayList<>();
      for (RuleFileResult r : RuleFiles.loadAll(rules, new PromqlExprChecker())) {
        if (!r.ok()) {
          r.errors().forEach(System.err::println);
          return 1;
        }
        groups.addAll(r.groups());
      }
      SextantConfig c = ConfigLoader.load(config, System.getenv());
      NotifierConfig nc = c.alerting.notifier == null
          ? NotifierConfig.parse("route: {receiver: default}\nreceivers: [{name: default}]\n", null)
          : NotifierConfig.of(c.alerting.notifier, null);
      try (Storage storage = EmbeddedStorage.open(dataDir)) {
        PromqlEngine engine = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
        Backtest bt = new Backtest(groups, new PromqlQueryFunction(engine), nc.route())
            .deadline(Durations.parse("--timeout", timeout));
        nc.inhibitRules().forEach(bt::inhibitRule);
        int n = 0;
        for (String m : silences) {
          bt.silence(new Silence("backtest-" + n++,
              BacktestInputs.matchers(m), start, end, "backtest",
              "--silence"));
        }
        try {
          System.out.print(bt.run(start, end).format());
        } catch (IllegalArgumentException | Backtest.DeadlineExceededException e) {
          System.err.println(e.getMessage());
          return 1;
        }
      }
      return 0;
    }
  }
}
