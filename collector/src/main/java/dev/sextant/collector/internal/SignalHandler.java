package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.sextant.collector.limits.Signal;
import java.util.concurrent.CompletableFuture;

/**
 * One signal's ingest step behind the shared pipeline: count the items, then validate, convert
 * and store them, answering with the transport's response (partial success included). Public for
 * the wire formats outside this package (Prometheus remote write), which parse their bodies
 * themselves ({@link HttpBodyIngest}).
 */
public interface SignalHandler<Req extends Message, Resp> {
  Signal signal();

  long itemCount(Req request);

  /**
   * Parses the OTLP wire format; one unparseable item rejects only itself. Only the OTLP
   * transports call it; a handler of another wire format has none.
   */
  default LenientOtlpParser<Req> parser() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " parses no OTLP");
  }

  /**
   * Parses an OTLP protobuf body, by default with {@link #parser()}. A handler may decode the
   * bytes straight into its own form instead ({@link LenientOtlpParser.Parsed#decoded()}), with
   * the same outcome as the parser and {@link #store} would give.
   */
  default LenientOtlpParser.Parsed<Req> parse(byte[] body) throws InvalidProtocolBufferException {
    return parser().parse(body);
  }

  /** The items in {@code parsed}, not counting those the parser already dropped. */
  default long parsedItemCount(LenientOtlpParser.Parsed<Req> parsed) {
    return itemCount(parsed.request());
  }

  /** Stores {@code parsed}: {@link #store} with what the parser dropped. */
  default CompletableFuture<Result<Resp>> storeParsed(LenientOtlpParser.Parsed<Req> parsed,
      String tenant) {
    return store(parsed.request(), tenant, parsed.rejected(), parsed.errorMessage());
  }

  /**
   * Completes when stored durably; the result reports rejected items, including the
   * {@code preRejected} ones the parser already dropped (first reason {@code preError}).
   */
  CompletableFuture<Result<Resp>> store(Req request, String tenant, long preRejected,
      String preError);

  /** A response and how many items were rejected as invalid. */
  record Result<Resp>(Resp response, long rejected) {}
}
