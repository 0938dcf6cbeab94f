package dev.baton.server;

import dev.baton.BatonException;
import dev.baton.ConfigException;
import dev.baton.store.DatabaseUnavailableException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code baton} command: {@code serve}, {@code demo}, {@code chat}, {@code check} and {@code keys} (contract
 * section 1). Exit codes: 0 success, 1 a request failed, 2 bad arguments, a bad configuration or a database
 * that cannot be reached.
 */
@Command(
    name = "baton",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "An LLM gateway that answers every request with the first model that can.",
    subcommands = {ServeCommand.class, DemoCommand.class, ChatCommand.class, CheckCommand.class, KeysCommand.class,
        ModelsCommand.class,
        CommandLine.HelpCommand.class})
public final class Main {

  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command and returns its exit code. */
  static int run(String... args) {
    Logging.configure(args.length > 0 && args[0].equals("serve"));
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(Main::failure);
    return cli.execute(args);
  }

  private static int failure(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof ConfigException config) {
      err.println("baton: the configuration is not valid:");
      for (String problem : config.problems()) {
        err.println("  " + problem);
      }
      err.flush();
      return BAD_INPUT;
    }
    if (e instanceof DatabaseUnavailableException database) {
      // A configured database that cannot be reached at start: one line, no stack trace (contract section 7).
      err.println("baton: " + database.getMessage());
      err.flush();
      return BAD_INPUT;
    }
    if (e instanceof BatonException failure) {
      err.println("baton: " + failure.getMessage());
      err.flush();
      return FAILED;
    }
    err.println("baton: " + e);
    err.flush();
    return FAILED;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"baton " + (version == null ? "development build" : version)
          + " on Java " + Runtime.version()};
    }
  }
}
