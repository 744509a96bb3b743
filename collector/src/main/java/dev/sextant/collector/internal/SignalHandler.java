package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import dev.sextant.collector.Signal;
import java.util.concurrent.CompletableFuture;

/**
 * One signal's ingest step behind the shared pipeline: count the items, then validate, convert
 * and store them, answering with the OTLP response (partial success included).
 */
interface SignalHandler<Req extends Message, Resp extends Message> {
  Signal signal();

  long itemCount(Req request);

  /** Completes when stored durably; the result reports rejected items. */
  CompletableFuture<Result<Resp>> store(Req request, String tenant);

  /** A response and how many items were rejected as invalid. */
  record Result<Resp>(Resp response, long rejected) {}
}
