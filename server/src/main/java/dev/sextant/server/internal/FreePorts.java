package dev.sextant.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Resolves port 0 to a currently free port on the bind address. */
public final class FreePorts {
  private FreePorts() {}

  public static int resolve(String bindAddress, int port) {
    if (port != 0) {
      return port;
    }
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(bindAddress))) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
    }
  }
}
