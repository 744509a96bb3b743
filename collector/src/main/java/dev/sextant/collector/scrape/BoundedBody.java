package dev.sextant.collector.scrape;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read into memory up to {@code limit} bytes: a body declared (Content-Length) or
 * found longer fails with {@link TooLargeException} and the rest is not read (the subscription is
 * cancelled, which closes the connection), so at most the limit plus one network buffer is ever
 * held, as Prometheus's {@code body_size_limit} reader does. The network buffers are copied once,
 * into an array of the declared length when there is one, which is then the body itself.
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
  private byte[] buffer;
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
    buffer = new byte[(int) Math.min(declared > 0 ? declared : 8192, limit)];
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
      int n = b.remaining();
      int at = (int) (size - n);
      if (size > buffer.length) {
        // Past the declared length (or none was): grow, never beyond the limit.
        long grown = Math.min(Math.max(size, 2L * buffer.length), limit);
        buffer = Arrays.copyOf(buffer, (int) Math.min(grown, Integer.MAX_VALUE - 8));
      }
      b.get(buffer, at, n);
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
      result.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, (int) size));
    }
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
