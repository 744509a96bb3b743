package dev.sextant.server.internal;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import dev.sextant.storage.Storage;
import java.io.File;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Prometheus's probes: {@code GET|HEAD /-/healthy} (liveness: 200 while the process serves
 * HTTP, whatever the disk or storage say, so that an orchestrator never restarts a server only
 * because its disk filled up) and {@code GET|HEAD /-/ready} (readiness: 200 when storage is
 * open and the disk guard lets writes in, else 503 with the reason). Plain text, as Prometheus
 * answers them. {@code /health} stays the detailed JSON check.
 */
public final class Probes {
  static final String HEALTHY = "Sextant is Healthy.\n";
  static final String READY = "Sextant is Ready.\n";
  /** What a starting server answers on {@code /-/ready} while storage opens or recovers. */
  public static final String STARTING = "Service Unavailable: storage is opening\n";

  private Probes() {}

  /** {@code /-/healthy}: 200 as long as this answers at all. */
  public static HttpService healthy() {
    return (ctx, req) -> getOrHead(req.method(), HttpStatus.OK, HEALTHY);
  }

  /**
   * {@code /-/ready} over {@code storage}: 503 while {@code serving} is false (the server is
   * starting or stopping), storage fails its check, or fewer than {@code minFreeDiskBytes} are
   * usable in {@code dataDir} (the collector's disk guard refuses ingest then; 0 turns that off).
   */
  public static HttpService ready(@Nullable Storage storage, File dataDir,
      long minFreeDiskBytes, BooleanSupplier serving) {
    requireNonNull(dataDir, "dataDir");
    requireNonNull(serving, "serving");
    return (ctx, req) -> {
      String why = notReady(storage, dataDir, minFreeDiskBytes, serving);
      return why == null ? getOrHead(req.method(), HttpStatus.OK, READY)
          : getOrHead(req.method(), HttpStatus.SERVICE_UNAVAILABLE,
              "Service Unavailable: " + why + "\n");
    };
  }

  /** {@code /-/ready} of a server whose storage is still opening: always 503. */
  public static HttpService starting() {
    return (ctx, req) -> getOrHead(req.method(), HttpStatus.SERVICE_UNAVAILABLE, STARTING);
  }

  private static String notReady(@Nullable Storage storage, File dataDir, long minFreeDiskBytes,
      BooleanSupplier serving) {
    if (!serving.getAsBoolean()) {
      return "the server is not serving (starting or stopping)";
    }
    try {
      if (storage != null) { // null: a collector node, which keeps no storage
        storage.check();
      }
    } catch (RuntimeException e) {
      return "storage: " + e.getMessage();
    }
    if (minFreeDiskBytes > 0) {
      long usable = dataDir.getUsableSpace(); // 0 when it cannot be read: not ready
      if (usable < minFreeDiskBytes) {
        return "disk full: " + usable + " bytes usable in " + dataDir + " (expected: >= "
            + minFreeDiskBytes + "); ingest is refused";
      }
    }
    return null;
  }

  static HttpResponse getOrHead(HttpMethod method, HttpStatus status, String text) {
    if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
      return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
          method + " (expected: GET or HEAD)\n");
    }
    return HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, text);
  }
}
