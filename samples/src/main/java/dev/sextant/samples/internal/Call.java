package dev.sextant.samples.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.util.Map;

/** One incoming request as a handler sees it: method, path, path and query parameters, body. */
public final class Call {
  private final String method;
  private final String path;
  private final Map<String, String> params;
  private final Headers headers;
  private final byte[] body;

  Call(String method, String path, Map<String, String> params, Headers headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.params = params;
    this.headers = headers;
    this.body = body;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** Path parameters ({@code {id}}) and query parameters. */
  public Map<String, String> params() {
    return params;
  }

  public String param(String name) {
    return params.get(name);
  }

  public String header(String name) {
    return headers.getFirst(name);
  }

  public byte[] body() {
    return body;
  }

  /** The body as JSON; a malformed body is the client's error (400). */
  public JsonNode json() {
    try {
      return body.length == 0 ? Reply.JSON.createObjectNode() : Reply.JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("body: not JSON (" + e.getMessage() + ")");
    }
  }
}
