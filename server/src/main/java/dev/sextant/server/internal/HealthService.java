package dev.sextant.server.internal;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Storage;

/**
 * {@code GET /health}: 200 {@code {"status":"healthy",...}} when storage answers, else 503
 * {@code "unhealthy"} with the reason.
 */
public final class HealthService implements HttpService {
  private final Storage storage;

  public HealthService(Storage storage) {
    this.storage = storage;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    String storageCheck;
    boolean healthy;
    try {
      storage.check();
      storageCheck = "{\"status\":\"up\"}";
      healthy = true;
    } catch (RuntimeException e) {
      storageCheck = "{\"status\":\"down\",\"error\":" + quote(String.valueOf(e.getMessage())) + "}";
      healthy = false;
    }
    String body = "{\"status\":\"" + (healthy ? "healthy" : "unhealthy")
        + "\",\"checks\":{\"storage\":" + storageCheck + "}}";
    return HttpResponse.of(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
        MediaType.JSON_UTF_8, body);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
