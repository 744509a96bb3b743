package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one HTTP receiving path every HTTP intake shares (OTLP/HTTP and Zipkin through
 * {@link HttpIngest}, Prometheus remote write): the body counted against the ingest byte budget as
 * it arrives, the deadline, decoding on the decoding threads, and the store step through the
 * signal's handler. The caller's {@link Decoder} reads the body; the caller maps the outcome to
 * its protocol's answers.
 */
public final class HttpBodyIngest {
  /**
   * A decoded request (with what lenient decoding skipped) and its size in bytes once
   * decompressed (what the byte budget holds).
   */
  public record Decoded<Req>(LenientOtlpParser.Parsed<Req> parsed, int bytes) {
    /** A request decoded whole, nothing skipped. */
    public static <Req> Decoded<Req> of(Req request, int bytes) {
      return new Decoded<>(new LenientOtlpParser.Parsed<>(request, 0, null), bytes);
    }
  }

  /** Decompresses and parses one whole body; runs on a decoding thread. */
  @FunctionalInterface
  public interface Decoder<Req> {
    Decoded<Req> decode(byte[] body) throws BadBodyException;
  }

  /**
   * A body that can never be stored as sent: answered with {@link #status()} (400, 413, 415) and
   * the message, which names what is wrong.
   */
  public static final class BadBodyException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient HttpStatus status;

    public BadBodyException(HttpStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public HttpStatus status() {
      return status;
    }
  }

  private final IngestPipeline pipeline;

  public HttpBodyIngest(IngestPipeline pipeline) {
    this.pipeline = pipeline;
  }

  /**
   * Ingests {@code req}'s body for {@code tenant}. The future completes with the handler's
   * response once the data is durable, or fails with an {@link IngestRefusedException} (over the
   * byte budget, the tenant's rate limit, the deadline, disk space; or data storage refuses), a
   * {@link BadBodyException} from the decoder, or the aggregation's own failure (a body over the
   * route's length limit, which the server answers with 413). Answer within the deadline: the
   * request's own timeout is cleared here, as this keeps the pipeline's write timeout itself.
   */
  public <Req extends Message, Resp> CompletableFuture<Resp> ingest(ServiceRequestContext ctx,
      HttpRequest req, SignalHandler<Req, Resp> handler, String tenant, String transport,
      Decoder<Req> decoder) {
    String signal = handler.signal().key();
    ctx.clearRequestTimeout();
    long deadline = System.nanoTime() + pipeline.writeTimeoutNanos();
    // Counted against the budget as the chunks arrive, before aggregation buffers them.
    IngestBudget.Reservation reservation = pipeline.reserve();
    HttpRequest counted = req.mapData(data -> {
      if (!reservation.released()) {
        pipeline.refuseIfOver(reservation, data.length(), signal);
        return data;
      }
      throw new IllegalStateException("request already answered");
    });
    CompletableFuture<AggregatedHttpRequest> body = IngestDeadline.within(
        counted.aggregate(), deadline - System.nanoTime(),
        () -> pipeline.timedOut("request body not received within "
            + TimeUnit.NANOSECONDS.toMillis(pipeline.writeTimeoutNanos()) + " ms; nothing from"
            + " this request was stored"),
        () -> IngestMetrics.INSTANCE.refused.labelValues(signal, "body_timeout").inc());
    CompletableFuture<Resp> answer = body.thenCompose(agg -> pipeline.decode(ctx, signal,
        agg.content().length(), deadline, () -> {
          Decoded<Req> decoded;
          try {
            decoded = decoder.decode(agg.content().array());
          } catch (BadBodyException e) {
            IngestMetrics.INSTANCE.refused.labelValues(signal, "invalid").inc();
            return CompletableFuture.failedFuture(e);
          }
          return pipeline.handle(handler, decoded.parsed(), reservation, decoded.bytes(), tenant,
              transport, deadline);
        }));
    answer.whenComplete((unused, failure) -> reservation.answered());
    return answer;
  }

  /** The cause of a failed {@link #ingest} future, without the completion wrappers. */
  public static Throwable cause(Throwable failure) {
    return IngestFailures.unwrap(failure);
  }
}
