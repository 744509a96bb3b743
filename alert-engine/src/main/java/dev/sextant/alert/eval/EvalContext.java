package dev.sextant.alert.eval;

import dev.sextant.alert.query.QueryFunction;
import java.time.Instant;
import java.util.Map;

/** What one group evaluation shares across its rules. */
record EvalContext(Instant ts, QueryFunction query, Map<String, String> externalLabels,
    String externalUrl, int limit) {}
