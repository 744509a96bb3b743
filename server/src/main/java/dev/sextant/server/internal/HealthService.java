package dev.sextant.server.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /health}: {@code {"status":"healthy|unhealthy","checks":{"storage":…,
 * "disk_space":…,"memory":…}}}, 200 when every check passes, else 503. Disk: free bytes on the
 * data directory's file system at least {@code minFreeDiskBytes}; memory: heap used after the
 * last GC (or now) at most {@code maxHeapUsedRatio} of the maximum.
 */
public final class HealthService implements HttpService {
  private static final JsonFactory JSON = new JsonFactory();

  private final @Nullable Storage storage;
  private final Path dataDir;
  private final long minFreeDiskBytes;
  private final double maxHeapUsedRatio;
  private final List<Check> extra;
  private final List<String> names;

  /** A further check (a cluster role's): writes its fields into its object, says if it passed. */
  @FunctionalInterface
  public interface Check {
    boolean write(JsonGenerator g) throws IOException;
  }

  public HealthService(Storage storage, Path dataDir, long minFreeDiskBytes,
      double maxHeapUsedRatio) {
    this(storage, dataDir, minFreeDiskBytes, maxHeapUsedRatio, Map.of());
  }

  /**
   * As above, with {@code extra} checks by name after the built-in ones; without storage (a
   * collector node), the storage check is left out.
   */
  public HealthService(@Nullable Storage storage, Path dataDir, long minFreeDiskBytes,
      double maxHeapUsedRatio, Map<String, Check> extra) {
    this.storage = storage;
    this.dataDir = dataDir;
    this.minFreeDiskBytes = minFreeDiskBytes;
    this.maxHeapUsedRatio = maxHeapUsedRatio;
    this.extra = new ArrayList<>();
    this.names = new ArrayList<>(extra.keySet());
    this.extra.addAll(extra.values());
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean healthy;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeObjectFieldStart("checks");
      boolean s = storage == null || storageCheck(g);
      boolean d = diskCheck(g);
      boolean m = memoryCheck(g);
      boolean x = true;
      for (int i = 0; i < extra.size(); i++) {
        g.writeObjectFieldStart(names.get(i));
        x &= extra.get(i).write(g);
        g.writeEndObject();
      }
      g.writeEndObject();
      healthy = s && d && m && x;
      g.writeStringField("status", healthy ? "healthy" : "unhealthy");
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.of(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
        MediaType.JSON_UTF_8, out.toByteArray());
  }

  private boolean storageCheck(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("storage");
    boolean ok;
    try {
      storage.check();
      ok = true;
      g.writeStringField("status", "up");
    } catch (RuntimeException e) {
      ok = false;
      g.writeStringField("status", "down");
      g.writeStringField("error", String.valueOf(e.getMessage()));
    }
    g.writeEndObject();
    return ok;
  }

  private boolean diskCheck(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("disk_space");
    boolean ok;
    try {
      long free = Files.getFileStore(dataDir).getUsableSpace();
      ok = free >= minFreeDiskBytes;
      g.writeStringField("status", ok ? "up" : "down");
      g.writeNumberField("free_bytes", free);
      g.writeNumberField("threshold_bytes", minFreeDiskBytes);
    } catch (IOException e) {
      ok = false;
      g.writeStringField("status", "down");
      g.writeStringField("error", String.valueOf(e.getMessage()));
    }
    g.writeEndObject();
    return ok;
  }

  private boolean memoryCheck(JsonGenerator g) throws IOException {
    Runtime rt = Runtime.getRuntime();
    long used = rt.totalMemory() - rt.freeMemory();
    double ratio = (double) used / rt.maxMemory();
    boolean ok = ratio <= maxHeapUsedRatio;
    g.writeObjectFieldStart("memory");
    g.writeStringField("status", ok ? "up" : "down");
    g.writeNumberField("heap_used_bytes", used);
    g.writeNumberField("heap_max_bytes", rt.maxMemory());
    g.writeNumberField("threshold_ratio", maxHeapUsedRatio);
    g.writeEndObject();
    return ok;
  }
}
