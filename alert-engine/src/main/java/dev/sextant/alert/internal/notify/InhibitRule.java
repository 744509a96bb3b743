package dev.sextant.alert.internal.notify;

import dev.sextant.alert.notify.Matchers;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's inhibition: a firing alert matching {@code source} mutes alerts matching
 * {@code target} that have equal values for all {@code equal} labels. An alert never inhibits
 * itself.
 */
public record InhibitRule(List<LabelMatcher> source, List<LabelMatcher> target, List<String> equal) {
  public InhibitRule {
    source = List.copyOf(source);
    target = List.copyOf(target);
    equal = List.copyOf(equal);
  }

  /** From Alertmanager matcher strings. */
  public static InhibitRule of(List<String> sourceMatchers, List<String> targetMatchers,
      List<String> equal) {
    return new InhibitRule(Matchers.parseAll(sourceMatchers), Matchers.parseAll(targetMatchers), equal);
  }

  /** Whether {@code target} is inhibited by one of {@code firing}. */
  public boolean inhibits(Labels target, Collection<Labels> firing) {
    return inhibitor(target, firing) != null;
  }

  /** The first of {@code firing} that inhibits {@code target}, or null. */
  public @Nullable Labels inhibitor(Labels target, Collection<Labels> firing) {
    if (!Matchers.matches(this.target, target)) {
      return null;
    }
    for (Labels src : firing) {
      if (src.equals(target) || !Matchers.matches(source, src)) {
        continue;
      }
      boolean same = true;
      for (String e : equal) {
        if (!src.get(e).equals(target.get(e))) {
          same = false;
          break;
        }
      }
      if (same) {
        return src;
      }
    }
    return null;
  }
}
