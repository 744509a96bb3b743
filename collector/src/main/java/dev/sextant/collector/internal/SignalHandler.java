package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import dev.sextant.collector.limits.Signal;
import java.util.concurrent.CompletableFuture;

/**
 * One signal's ingest step behind the shared pipeline: count the items, then validate, convert
 * and store them, answering with the OTLP response (partial success included).
 */
interface SignalHandler<Req extends Message, Resp extends Message> {
  Signal signal();

  long itemCount(Req request);

  /** Parses the wire format; one unparseable item rejects only itself. */
  LenientOtlpParser<Req> parser();

  /**
   * Completes when stored durably; the result reports rejected items, including the
   * {@code preRejected} ones the parser already dropped (first reason {@code preError}).
   */
  CompletableFuture<Result<Resp>> store(Req request, String tenant, long preRejected,
      String preError);

  /** A response and how many items were rejected as invalid. */
  record Result<Resp>(Resp response, long rejected) {}
}
