package dev.sextant.cluster;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.sextant.cluster.internal.ReadWire;
import dev.sextant.cluster.internal.WireReader;
import dev.sextant.storage.Pins;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.StorageException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of {@link RemoteStorage}, shared by its tenant views: one client per store, the
 * fan-out with its timeout and warnings, and who owns which partition.
 */
final class StoreClients implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(StoreClients.class);

  /** What a fan-out got: the answers, and what went wrong with each store that gave none. */
  record Answers<T>(Map<URI, T> results, List<String> failures) {}

  private final Supplier<List<URI>> stores;
  private final Duration timeout;
  private final long maxResponseBytes;
  private final ClientFactory factory = ClientFactory.builder().build();
  private final Map<URI, WebClient> clients = new ConcurrentHashMap<>();
  private final Ownership ownership;
  private final @Nullable String authorization;
  private volatile boolean closed;

  StoreClients(Supplier<List<URI>> stores, Duration timeout, int partitions,
      Duration ownershipTtl, long maxResponseBytes, @Nullable String token) {
    this.authorization = token == null ? null : "Bearer " + token;
    this.stores = stores;
    this.timeout = timeout;
    this.maxResponseBytes = maxResponseBytes;
    this.ownership = new Ownership(this, partitions, ownershipTtl);
  }

  /** The stores now, each with the default path when it has none. */
  List<URI> stores() {
    checkOpen();
    List<URI> out = new ArrayList<>();
    for (URI u : stores.get()) {
      String path = u.getPath();
      out.add(path == null || path.isEmpty() || path.equals("/")
          ? u.resolve(StoreReadService.DEFAULT_PREFIX)
          : path.endsWith("/") ? u : URI.create(u + "/"));
    }
    if (out.isEmpty()) {
      throw new StorageException("no store to read from (the list of stores is empty)");
    }
    return out;
  }

  Ownership ownership() {
    return ownership;
  }

  void checkOpen() {
    if (closed) {
      throw new StorageException("remote storage closed");
    }
  }

  /**
   * Calls every target at once and decodes each answer. A target refusing the call as bad
   * throws {@link IllegalArgumentException} with its message; one that fails otherwise or not in
   * time is left out and named in {@link Answers#failures()}.
   */
  <T> Answers<T> call(List<URI> targets, String call, String tenant, byte[] body,
      Function<WireReader, T> decode) {
    Map<URI, byte[]> bodies = new LinkedHashMap<>();
    targets.forEach(t -> bodies.put(t, body));
    return call(bodies, call, tenant, decode);
  }

  /** As {@link #call(List, String, String, byte[], Function)}, with a body per target. */
  <T> Answers<T> call(Map<URI, byte[]> bodies, String call, String tenant,
      Function<WireReader, T> decode) {
    checkOpen();
    Map<URI, CompletableFuture<AggregatedHttpResponse>> pending = new LinkedHashMap<>();
    bodies.forEach((target, body) -> pending.put(target, send(target, call, tenant, body)));
    Map<URI, T> results = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
    for (Map.Entry<URI, CompletableFuture<AggregatedHttpResponse>> e : pending.entrySet()) {
      String store = "store " + e.getKey();
      try {
        AggregatedHttpResponse res = e.getValue().get(
            Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        HttpStatus status = res.status();
        if (status.equals(HttpStatus.BAD_REQUEST)) {
          throw new IllegalArgumentException(res.contentUtf8());
        }
        if (status.equals(HttpStatus.TOO_MANY_REQUESTS) && call.equals("pin")) {
          throw new Pins.PinLimitException(Pins.MAX_PINS); // the user may unpin and retry
        }
        if (!status.equals(HttpStatus.OK)) {
          failures.add(store + " failed: " + status + " " + res.contentUtf8());
          continue;
        }
        results.put(e.getKey(), decode.apply(ReadWire.reader(res.content().array())));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        pending.values().forEach(f -> f.cancel(true));
        throw new StorageException("read interrupted", ie);
      } catch (TimeoutException te) {
        e.getValue().cancel(true);
        failures.add(store + " did not answer within " + timeout.toMillis() + " ms");
      } catch (ExecutionException ee) {
        failures.add(ee.getCause() instanceof ResponseTimeoutException
            ? store + " did not answer within " + timeout.toMillis() + " ms"
            : store + " failed: " + reason(ee.getCause()));
      } catch (RuntimeException decodeFailure) {
        if (decodeFailure instanceof IllegalArgumentException
            || decodeFailure instanceof Pins.PinLimitException) {
          throw decodeFailure;
        }
        failures.add(store + " failed: " + reason(decodeFailure));
      }
    }
    return new Answers<>(results, failures);
  }

  /**
   * As {@link #call}, reporting each failure through {@link ReadWarnings}; throws
   * {@link StorageException} when no target answered.
   */
  <T> List<T> fanOut(List<URI> targets, String call, String tenant, byte[] body,
      Function<WireReader, T> decode) {
    Map<URI, byte[]> bodies = new LinkedHashMap<>();
    targets.forEach(t -> bodies.put(t, body));
    return new ArrayList<>(fanOutByStore(bodies, call, tenant, decode).values());
  }

  /** As {@link #fanOut}, with a body per store, each answer by its store. */
  <T> Map<URI, T> fanOutByStore(Map<URI, byte[]> bodies, String call, String tenant,
      Function<WireReader, T> decode) {
    Answers<T> a = call(bodies, call, tenant, decode);
    for (String f : a.failures()) {
      logger.warn("read {}: {}", call, f);
      ReadWarnings.report("partial result: " + f);
    }
    if (a.results().isEmpty()) {
      throw new StorageException("no store answered: " + String.join("; ", a.failures()));
    }
    return a.results();
  }

  private CompletableFuture<AggregatedHttpResponse> send(URI target, String call, String tenant,
      byte[] body) {
    URI origin = URI.create(target.getScheme() + "://" + target.getRawAuthority());
    WebClient client = clients.computeIfAbsent(origin,
        o -> WebClient.builder(o).factory(factory).responseTimeout(timeout)
            .maxResponseLength(maxResponseBytes).build());
    boolean get = call.equals("partitions");
    RequestHeadersBuilder headers = RequestHeaders.builder(
            get ? HttpMethod.GET : HttpMethod.POST, target.getRawPath() + call)
        .contentType(DefaultStoreReadService.WIRE)
        .set(StoreReadService.TENANT_HEADER, tenant);
    if (authorization != null) {
      headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    return client.execute(HttpRequest.of(headers.build(), get ? HttpData.empty() : HttpData.wrap(body)))
        .aggregate();
  }

  private static String reason(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      factory.close();
    }
  }
}
