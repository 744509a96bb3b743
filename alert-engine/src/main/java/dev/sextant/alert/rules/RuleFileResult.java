package dev.sextant.alert.rules;

import java.util.List;

/**
 * The outcome of loading one rule file. When {@link #errors()} is non-empty the groups must not
 * be used (Prometheus applies a reload only when every file is valid); warnings never block.
 */
public record RuleFileResult(String file, List<RuleGroupConfig> groups, List<RuleProblem> errors,
    List<RuleProblem> warnings) {
  /** True when the file has no errors (warnings allowed). */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** The number of rules in all groups of the file. */
  public int ruleCount() {
    return groups.stream().mapToInt(g -> g.rules().size()).sum();
  }
}
