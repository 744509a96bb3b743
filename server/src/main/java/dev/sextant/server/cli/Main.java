package dev.sextant.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sextant}: the command-line entry point. */
@Command(name = "sextant", mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Sextant: traces, logs, metrics and alerts in one JVM.",
    subcommands = {ServerCommand.class, DemoCommand.class, RulesCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = new CommandLine(new Main())
        // A bad setting already names its key and line (or flag, or variable): say just that.
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (!(e instanceof IllegalArgumentException)) {
            throw e;
          }
          cmd.getErr().println("sextant: " + e.getMessage());
          return 2;
        })
        .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
