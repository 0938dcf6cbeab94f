package dev.baton.server;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.redis.SharedState;
import dev.baton.store.KeyPlatform;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code baton serve --config FILE [--port N]}: opens the database (the embedded one under
 * {@code database.data_dir} unless a PostgreSQL url is set; one that cannot be reached is exit 2) and, with
 * {@code redis:}, the state it shares with other instances (a Redis away at start is no error: the instance
 * starts alone and joins when it answers), runs the gateway until SIGTERM, then drains and writes the
 * request log's last rows.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the gateway with a configuration file.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The YAML configuration.")
  Path config;

  @Option(names = "--port", paramLabel = "N", description = "Listen on this port instead of server.port.")
  Integer port;

  @Override
  public Integer call() throws InterruptedException {
    BatonConfig loaded = ConfigLoader.load(config);
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
            "--port must be between 0 and 65535, was " + port);
      }
      loaded = loaded.withServer(loaded.server().withPort(port));
    }
    BatonConfig settings = loaded;
    Gateway gateway = start(settings, Environment.system());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.shutdown(settings.server().shutdownGrace());
      System.err.flush(); // the last access lines, written while draining (stderr is buffered)
      stopped.countDown();
    }, "baton-shutdown"));
    System.out.println("Baton gateway listening on " + gateway.url() + " serving " + String.join(", ", gateway.models()));
    System.out.flush();
    stopped.await();
    return 0;
  }

  /**
   * Opens what {@code serve} serves, in its order, and starts the gateway over it: the shared state first
   * (Redis with {@code redis:}, else this instance alone; a Redis away at start is no error), then the
   * database, counting keys' and teams' limits and spend in the shared counters, then the gateway, which owns
   * both from then on.
   *
   * @throws dev.baton.store.DatabaseUnavailableException when the database cannot be reached (exit 2)
   */
  static Gateway start(BatonConfig settings, Environment environment) {
    Clock clock = Clock.systemUTC();
    SharedState shared = SharedState.from(settings.redis(), clock);
    KeyPlatform keys;
    try {
      keys = KeyPlatform.open(settings.database(), settings.logging(), settings::modelNames, clock, shared.counters());
    } catch (RuntimeException e) {
      shared.close();
      throw e;
    }
    return Gateway.start(settings, environment, List.of(), keys, shared);
  }
}
