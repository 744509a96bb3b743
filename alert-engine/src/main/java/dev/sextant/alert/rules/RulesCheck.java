package dev.sextant.alert.rules;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code sextant rules check FILE...}, like {@code promtool check rules}: prints per file either
 * "SUCCESS: N rules found" or the errors, plus warnings (missing playbook, duplicates); returns
 * the process exit code (0 ok, 1 errors). Warnings do not fail unless {@code lintFatal}.
 */
public final class RulesCheck {
  private RulesCheck() {}

  /** Checks {@code files} (paths or globs), reporting to {@code out} and {@code err}; 0 or 1. */
  public static int run(List<String> files, ExprChecker checker, boolean lintFatal, PrintStream out,
      PrintStream err) {
    boolean failed = false;
    for (RuleFileResult r : RuleFiles.loadAll(files, checker)) {
      out.println("Checking " + r.file());
      for (RuleProblem w : r.warnings()) {
        err.println("  " + w);
      }
      if (!r.ok()) {
        err.println("  FAILED:");
        for (RuleProblem e : r.errors()) {
          err.println("  " + e);
        }
        failed = true;
        continue;
      }
      if (lintFatal && !r.warnings().isEmpty()) {
        failed = true;
      }
      out.println("  SUCCESS: " + r.ruleCount() + " rules found");
    }
    return failed ? 1 : 0;
  }
}
