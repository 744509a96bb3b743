package dev.sextant.server.cli;

import picocli.CommandLine;

/** The {@code sextant server} command line as the options tests read it. */
final class ServerArgs {
  private ServerArgs() {}

  /** {@code args} parsed as {@code sextant server} parses them, not yet resolved. */
  static ServerOptions parse(String... args) {
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.options;
  }
}
