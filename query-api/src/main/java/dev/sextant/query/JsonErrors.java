package dev.sextant.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON error bodies for the native API: {@code {"status":404,"error":"..."}}. */
public final class JsonErrors {
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonErrors() {}

  public static HttpResponse of(HttpStatus status, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("status", status.code());
      g.writeStringField("error", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.of(status, MediaType.JSON_UTF_8, out.toByteArray());
  }
}
