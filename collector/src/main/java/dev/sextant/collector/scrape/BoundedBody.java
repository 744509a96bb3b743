package dev.sextant.collector.scrape;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code limit} bytes: a body declared (Content-Length) or
 * found longer fails with {@link TooLargeException} and the rest is not read (the subscription is
 * cancelled, which closes the connection), so at most the limit plus one network buffer is ever
 * held, as Prometheus's {@code body_size_limit} reader does.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
  /** The body is over {@code body_size_limit}. */
  static final class TooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      // Prometheus's error text, with the limit.
      super("body size limit exceeded (body_size_limit: " + limit + " bytes)");
    }
  }

  private final long limit;
  private final long declared;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private ByteArrayOutputStream buffer;
  private Flow.Subscription subscription;
  private long size;

  private BoundedBody(long limit, long declared) {
    this.limit = limit;
    this.declared = declared;
  }

  /** A handler reading bodies of at most {@code limit} bytes. */
  static HttpResponse.BodyHandler<byte[]> handler(long limit) {
    return info -> new BoundedBody(limit,
        info.headers().firstValueAsLong("content-length").orElse(-1));
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > limit) {
      // Failed before cancelling: the client's own "cancelled" error must not win the race.
      result.completeExceptionally(new TooLargeException(limit));
      s.cancel();
      return;
    }
    buffer = new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : 8192, limit));
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      size += b.remaining();
      if (size > limit) {
        buffer = null;
        result.completeExceptionally(new TooLargeException(limit));
        subscription.cancel();
        return;
      }
      if (b.hasArray()) {
        buffer.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      } else {
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        buffer.write(copy, 0, copy.length);
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable t) {
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (!result.isDone()) {
      result.complete(buffer.toByteArray());
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
