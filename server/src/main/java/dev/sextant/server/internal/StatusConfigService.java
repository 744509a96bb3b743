package dev.sextant.server.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/v1/status/config} in Prometheus's shape:
 * {@code {"status":"success","data":{"yaml":"..."}}}, the YAML being the configuration the server
 * runs with, secrets already masked as {@code <secret>} by whoever rendered it.
 */
public final class StatusConfigService {
  private static final JsonFactory JSON = new JsonFactory();

  private StatusConfigService() {}

  public static HttpService of(String yaml) {
    requireNonNull(yaml, "yaml");
    byte[] body = body(yaml);
    return (ctx, req) -> {
      if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
        return HttpResponse.of(HttpStatus.METHOD_NOT_ALLOWED, MediaType.PLAIN_TEXT_UTF_8,
            req.method() + " (expected: GET or HEAD)");
      }
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, body);
    };
  }

  private static byte[] body(String yaml) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeObjectFieldStart("data");
      g.writeStringField("yaml", yaml);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
