package dev.sextant.samples.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, body, content type and extra headers. */
public final class Reply {
  public static final ObjectMapper JSON = new ObjectMapper();

  final int status;
  final byte[] body;
  final String contentType;
  final Map<String, String> headers = new LinkedHashMap<>();

  Reply(int status, byte[] body, String contentType) {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  public static Reply json(int status, Object value) {
    try {
      return new Reply(status, JSON.writeValueAsBytes(value), "application/json");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"error": message}}. */
  public static Reply error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  public static Reply raw(int status, byte[] body, String contentType) {
    return new Reply(status, body, contentType == null ? "application/octet-stream" : contentType);
  }

  public Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
