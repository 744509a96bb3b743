package dev.sextant.alert.notify;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.Labels;
import java.time.Instant;
import java.util.List;

/**
 * A silence: alerts matching all {@code matchers} are muted between {@code startsAt} and
 * {@code endsAt}. Matchers are Alertmanager strings ({@code alertname="X"}); regexes are RE2
 * (linear-time matching), so a silence cannot stall notification with a pattern like
 * {@code (a|aa)*b}; one that is not RE2 or over its limits is refused, naming the matcher.
 */
public record Silence(String id, List<String> matchers, Instant startsAt, Instant endsAt,
    String createdBy, String comment) {
  public Silence {
    requireNonNull(id, "id");
    matchers = List.copyOf(requireNonNull(matchers, "matchers"));
    requireNonNull(startsAt, "startsAt");
    requireNonNull(endsAt, "endsAt");
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException("matchers: empty (expected: at least one matcher)");
    }
    if (!endsAt.isAfter(startsAt)) {
      throw new IllegalArgumentException("endsAt: " + endsAt + " (expected: after startsAt " + startsAt + ")");
    }
    for (int i = 0; i < matchers.size(); i++) {
      try {
        Matchers.parse(matchers.get(i));
      } catch (IllegalArgumentException e) {
        // e.g. matchers[0]: invalid regular expression "(?=a)": error parsing regexp: ...
        throw new IllegalArgumentException("matchers[" + i + "]: " + e.getMessage(), e);
      }
    }
    createdBy = createdBy == null ? "" : createdBy;
    comment = comment == null ? "" : comment;
  }

  /** True from {@code startsAt} (inclusive) to {@code endsAt} (exclusive). */
  public boolean activeAt(Instant now) {
    return !now.isBefore(startsAt) && now.isBefore(endsAt);
  }

  /** True when the silence is active at {@code now} and all its matchers match {@code labels}. */
  public boolean mutes(Labels labels, Instant now) {
    return activeAt(now) && Matchers.matches(Matchers.parseAllCached(matchers), labels);
  }

  /** "active", "pending" or "expired", as in Alertmanager's API. */
  public String state(Instant now) {
    return now.isBefore(startsAt) ? "pending" : now.isBefore(endsAt) ? "active" : "expired";
  }
}
