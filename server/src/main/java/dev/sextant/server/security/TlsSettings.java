package dev.sextant.server.security;

/**
 * The config file's {@code tls:} section: a PEM certificate chain and its PEM (PKCS#8) private
 * key. When both are set, every port speaks TLS only (HTTPS, and gRPC over TLS).
 */
public final class TlsSettings {
  public String certFile;
  public String keyFile;
  /** Password of an encrypted key file; none by default. */
  public String keyPassword;

  public boolean enabled() {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("tls: " + (certFile == null ? "keyFile" : "certFile")
          + " without " + (certFile == null ? "certFile" : "keyFile")
          + " (expected: both or neither)");
    }
    return certFile != null;
  }
}
