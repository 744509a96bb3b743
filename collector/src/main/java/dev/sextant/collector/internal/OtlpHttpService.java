package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.function.Supplier;

/**
 * OTLP/HTTP for one signal: {@code POST} with {@code application/x-protobuf} or
 * {@code application/json}, optionally {@code Content-Encoding: gzip}. Answers in the request's
 * encoding once the data is durable; errors carry a {@code google.rpc.Status} body. The receiving
 * (budget, deadlines, decoding off the event loop) is {@link HttpIngest}'s.
 */
public final class OtlpHttpService<Req extends Message, Resp extends Message>
    implements HttpService {
  private final HttpIngest<Req, Resp> ingest;

  public OtlpHttpService(IngestPipeline pipeline, SignalHandler<Req, Resp> handler,
      Supplier<Message.Builder> newBuilder, int maxRequestBytes) {
    this.ingest = new HttpIngest<>(pipeline, handler, new Codec<>(handler, newBuilder),
        maxRequestBytes);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    return ingest.serve(ctx, req);
  }

  /** OTLP's wire formats and answers: the export response, or a {@code google.rpc.Status}. */
  private static final class Codec<Req extends Message, Resp extends Message>
      implements HttpIngest.Codec<Req, Resp> {
    private final SignalHandler<Req, Resp> handler;
    private final Supplier<Message.Builder> newBuilder;

    Codec(SignalHandler<Req, Resp> handler, Supplier<Message.Builder> newBuilder) {
      this.handler = handler;
      this.newBuilder = newBuilder;
    }

    @Override
    @SuppressWarnings("unchecked")
    public LenientOtlpParser.Parsed<Req> decode(byte[] body, boolean json)
        throws HttpIngest.BadBodyException {
      try {
        if (json) {
          return OtlpJson.read(body, newBuilder.get(), handler.parser().itemName());
        }
        return handler.parse(body);
      } catch (InvalidProtocolBufferException e) {
        throw new HttpIngest.BadBodyException("body: malformed " + handler.signal().key()
            + " request (" + (json ? "OTLP/JSON" : "protobuf") + "): " + e.getMessage());
      }
    }

    @Override
    public HttpResponse success(Resp resp, boolean json) {
      return json ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.print(resp))
          : HttpResponse.of(HttpStatus.OK, HttpIngest.PROTOBUF, resp.toByteArray());
    }

    @Override
    public HttpResponse error(HttpStatus status, String message, long retryAfterSeconds,
        boolean json) {
      return OtlpHttpErrors.error(status, message, retryAfterSeconds, json);
    }

    @Override
    public String transport(boolean json) {
      return json ? "http/json" : "http/protobuf";
    }
  }
}
