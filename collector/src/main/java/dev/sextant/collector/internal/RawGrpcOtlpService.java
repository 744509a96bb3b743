package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;

/**
 * An OTLP gRPC service ({@code <service>/Export}) that receives the raw request bytes, so the
 * request is decoded once, by the lenient parser: an item with invalid UTF-8 is rejected through
 * partial success instead of failing the whole request as a strict unmarshaller would.
 */
public final class RawGrpcOtlpService {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  private RawGrpcOtlpService() {}

  /** The service definition for {@code serviceName} (e.g. the TraceService's full name). */
  public static <Req extends Message, Resp extends Message> ServerServiceDefinition of(
      String serviceName, IngestPipeline pipeline, SignalHandler<Req, Resp> handler) {
    MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Export"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
    GrpcIngest<Req, Resp> ingest = new GrpcIngest<>(pipeline, handler);
    return ServerServiceDefinition.builder(serviceName)
        .addMethod(export, ServerCalls.asyncUnaryCall((bytes, observer) -> {
          LenientOtlpParser.Parsed<Req> parsed;
          try {
            parsed = handler.parser().parse(bytes);
          } catch (InvalidProtocolBufferException e) {
            observer.onError(Status.INVALID_ARGUMENT.withDescription(
                "malformed " + handler.signal().key() + " request: " + e.getMessage())
                .asRuntimeException());
            return;
          }
          ingest.export(parsed, bytes.length, new io.grpc.stub.StreamObserver<Resp>() {
            @Override
            public void onNext(Resp value) {
              observer.onNext(value.toByteArray());
            }

            @Override
            public void onError(Throwable t) {
              observer.onError(t);
            }

            @Override
            public void onCompleted() {
              observer.onCompleted();
            }
          });
        }))
        .build();
  }
}
