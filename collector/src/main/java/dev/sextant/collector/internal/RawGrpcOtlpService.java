package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import io.grpc.Decompressor;
import io.grpc.DecompressorRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An OTLP gRPC service ({@code <service>/Export}) that receives the raw request bytes, so the
 * request is decoded once, by the lenient parser: an item with invalid UTF-8 is rejected through
 * partial success instead of failing the whole request as a strict unmarshaller would.
 *
 * <p>The framework reads the message on the event loop, so nothing CPU-heavy may happen there:
 * with {@link #DECOMPRESSORS} a {@code grpc-encoding: gzip} message reaches the service still
 * compressed (the framework's message limit then applies to the compressed size), and it is
 * inflated, bounded by the request size limit, with the parse on the decoding threads.
 */
public final class RawGrpcOtlpService {
  /**
   * Accepts {@code gzip} but leaves the message compressed: {@link GrpcIngest} inflates it off
   * the event loop. Use it as the gRPC service's decompressor registry.
   */
  public static final DecompressorRegistry DECOMPRESSORS = DecompressorRegistry.emptyInstance()
      .with(new Decompressor() {
        @Override
        public String getMessageEncoding() {
          return "gzip";
        }

        @Override
        public InputStream decompress(InputStream is) {
          return is;
        }
      }, true);

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

  /**
   * The service definition for {@code serviceName} (e.g. the TraceService's full name);
   * {@code maxRequestBytes} bounds a gzip message once inflated (RESOURCE_EXHAUSTED above it).
   */
  public static <Req extends Message, Resp extends Message> ServerServiceDefinition of(
      String serviceName, IngestPipeline pipeline, SignalHandler<Req, Resp> handler,
      int maxRequestBytes) {
    MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(serviceName, "Export"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
    GrpcIngest<Req, Resp> ingest = new GrpcIngest<>(pipeline, handler, maxRequestBytes);
    return ServerServiceDefinition.builder(serviceName)
        .addMethod(export, ServerCalls.asyncUnaryCall((bytes, observer) ->
            ingest.export(bytes, new StreamObserver<Resp>() {
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
            })))
        .build();
  }
}
