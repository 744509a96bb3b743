package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Authorization} header of a receiver's {@code http_config}: basic auth or a
 * credentials scheme (Bearer by default), the secret given inline or as a file. A file is read at
 * each delivery, as Alertmanager does, so a rotated secret is picked up without a reload, and the
 * secret never reaches the outbox (which stores the request without its headers).
 * {@link #toString()} masks the secret.
 */
public final class HttpAuth {
  /** No {@code Authorization} header. */
  public static final HttpAuth NONE = new HttpAuth(null, null, null, null);
  /** Longest secret file read; a secret is a line, not a document. */
  static final int MAX_SECRET_FILE = 64 * 1024;

  private final @Nullable String scheme;
  private final @Nullable String username;
  private final @Nullable String secret;
  private final @Nullable Path secretFile;

  private HttpAuth(@Nullable String scheme, @Nullable String username, @Nullable String secret,
      @Nullable Path secretFile) {
    this.scheme = scheme;
    this.username = username;
    this.secret = secret;
    this.secretFile = secretFile;
  }

  /** Basic auth; exactly one of {@code password} and {@code passwordFile} is non-null. */
  public static HttpAuth basic(String username, @Nullable String password,
      @Nullable Path passwordFile) {
    return new HttpAuth("Basic", requireNonNull(username, "username"), password, passwordFile);
  }

  /** {@code Authorization: <type> <credentials>}; one of credentials and file is non-null. */
  public static HttpAuth credentials(String type, @Nullable String credentials,
      @Nullable Path credentialsFile) {
    return new HttpAuth(requireNonNull(type, "type"), null, credentials, credentialsFile);
  }

  /**
   * The header value, or null for {@link #NONE}.
   *
   * @throws IOException when the secret file cannot be read or is too long
   */
  @Nullable String header() throws IOException {
    if (scheme == null) {
      return null;
    }
    String s = secret != null ? secret : readSecret(requireNonNull(secretFile, "secretFile"));
    if (username != null) {
      return "Basic " + Base64.getEncoder().encodeToString(
          (username + ":" + s).getBytes(StandardCharsets.UTF_8));
    }
    return scheme + " " + s;
  }

  private static String readSecret(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] b = in.readNBytes(MAX_SECRET_FILE + 1);
      if (b.length > MAX_SECRET_FILE) {
        throw new IOException("secret file " + file + ": over " + MAX_SECRET_FILE + " bytes");
      }
      return new String(b, StandardCharsets.UTF_8).strip();
    }
  }

  @Override
  public String toString() {
    if (scheme == null) {
      return "none";
    }
    String where = secretFile != null ? "file " + secretFile : "<secret>";
    return username != null ? "basic " + username + ":" + where : scheme + " " + where;
  }
}
