package dev.sextant.alert.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rule group as written. {@code interval} and {@code queryOffset} are null when not set (the
 * global defaults apply); {@code limit} 0 means no limit.
 */
public record RuleGroupConfig(String name, @Nullable Duration interval, int limit,
    @Nullable Duration queryOffset, Map<String, String> labels, List<RuleConfig> rules, String file,
    int line) {}
