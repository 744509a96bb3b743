package dev.sextant.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A rule group as written. {@code interval} and {@code queryOffset} are null when not set (the
 * global defaults apply); {@code limit} 0 means no limit.
 */
public record RuleGroupConfig(String name, Duration interval, int limit, Duration queryOffset,
    Map<String, String> labels, List<RuleConfig> rules, String file, int line) {}
