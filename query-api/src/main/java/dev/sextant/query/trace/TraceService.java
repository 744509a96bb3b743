package dev.sextant.query.trace;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.JsonErrors;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.TraceReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/traces/{traceId}}: the trace as a tree. 400 when the ID is not 32 hex
 * characters, 404 when no span of it is stored. At most {@code maxSpans} spans are read (default
 * {@value TraceRead#DEFAULT_MAX_SPANS}); a trace with more answers that many with
 * {@code "truncated": true}, {@code "maxSpans"} and a warning. Storage's {@link ReadWarnings}
 * (a cluster's store that did not answer) are in {@code warnings} too, or in a 404's message.
 */
public final class TraceService implements HttpService {
  private final TraceReader reader;
  private final LogReader logs;
  private final int maxSpans;

  public TraceService(TraceReader reader) {
    this(reader, null);
  }

  /** With {@code logs} (may be null), every span carries {@code logCount}: its linked logs. */
  public TraceService(TraceReader reader, @Nullable LogReader logs) {
    this(reader, logs, TraceRead.DEFAULT_MAX_SPANS);
  }

  /** Reads at most {@code maxSpans} spans of a trace (1 to 10,000,000). */
  public TraceService(TraceReader reader, @Nullable LogReader logs, int maxSpans) {
    this.reader = reader;
    this.logs = logs;
    this.maxSpans = TraceRead.checkMaxSpans("maxSpans", maxSpans);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    String id = ctx.pathParam("traceId");
    if (!Ids.isValidTraceId(id)) {
      return JsonErrors.of(HttpStatus.BAD_REQUEST,
          "traceId: " + id + " (expected: " + Ids.TRACE_ID_FORM + ")");
    }
    String traceId = id.toLowerCase(Locale.ROOT);
    return HttpResponse.of(() -> {
      try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
        TraceRead read = TraceRead.of(reader, traceId, maxSpans);
        if (read.spans().isEmpty()) {
          List<String> w = partial.warnings();
          return JsonErrors.of(HttpStatus.NOT_FOUND, "trace " + traceId + " not found"
              + (w.isEmpty() ? "" : "; " + String.join("; ", w)));
        }
        Trace t = TraceAssembler.assemble(traceId, read.spans());
        ToIntFunction<String> logCounts = logs == null ? null : LogCounts.of(logs, traceId);
        List<String> warnings = new ArrayList<>(partial.warnings());
        if (!warnings.isEmpty()) {
          // Storage's warnings (a store node that did not answer) first: the trace may be partial.
          warnings.addAll(t.warnings());
          t = new Trace(t.traceId(), t.roots(), t.spanCount(), t.depth(), t.errorCount(),
              t.services(), t.startUnixNano(), t.durationNanos(), warnings);
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8,
            json(ctx, t, logCounts, read));
      }
    }, ctx.blockingTaskExecutor());
  }

  /**
   * The trace's JSON in a pooled direct buffer that the server writes to the socket as it is and
   * then frees: a 1,000-span trace is some 900 KB, and as a heap array (twice, with the copy out
   * of a {@code ByteArrayOutputStream}) each answer was two humongous G1 allocations, which can
   * start a GC cycle of their own.
   */
  private static HttpData json(ServiceRequestContext ctx, Trace t,
      @Nullable ToIntFunction<String> logCounts, TraceRead read) {
    ByteBuf buf = ctx.alloc().directBuffer(TraceJson.sizeHint(t));
    boolean done = false;
    try {
      TraceJson.write(t, logCounts, read, new ByteBufOutputStream(buf));
      done = true;
      return HttpData.wrap(buf);
    } finally {
      if (!done) {
        buf.release();
      }
    }
  }
}
