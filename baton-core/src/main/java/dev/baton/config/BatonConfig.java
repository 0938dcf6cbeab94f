package dev.baton.config;

import dev.baton.catalogue.Catalogue;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A whole configuration: what the gateway serves and how the router plans. Read one from YAML with
 * {@link ConfigLoader}; {@code Baton.builder()} builds one in code.
 *
 * @param database where keys, teams, spend and stored responses live
 * @param logging what the request log keeps
 * @param catalogue the model catalogue deployments take unset figures from: the built-in one, with the
 *     file named by {@code catalogue:} merged over it
 * @param telemetry where the gateway's traces go; null when the configuration has no {@code telemetry:}
 * @param redis the Redis several instances share; null when the configuration has no {@code redis:}
 * @param cache the response cache; null when the configuration has no {@code cache:} (no cache)
 */
public record BatonConfig(
    ServerConfig server,
    List<ModelConfig> models,
    RouterConfig router,
    DatabaseConfig database,
    LoggingConfig logging,
    Catalogue catalogue,
    @Nullable TelemetryConfig telemetry,
    @Nullable RedisConfig redis,
    @Nullable CacheConfig cache) {

  public BatonConfig {
    models = List.copyOf(models);
    Objects.requireNonNull(catalogue, "catalogue");
  }

  /**
   * A configuration with the default database (embedded, under the working directory), logging and
   * catalogue, and no telemetry.
   */
  public BatonConfig(ServerConfig server, List<ModelConfig> models, RouterConfig router) {
    this(server, models, router, Catalogue.builtIn());
  }

  /** A configuration with the default database (embedded, under the working directory) and logging. */
  public BatonConfig(ServerConfig server, List<ModelConfig> models, RouterConfig router, Catalogue catalogue) {
    this(server, models, router, DatabaseConfig.embeddedIn(Path.of("")), LoggingConfig.defaults(), catalogue,
        null, null, null);
  }

  /** Each public model name once, in the order first defined. */
  public List<String> modelNames() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (ModelConfig m : models) {
      names.add(m.name());
    }
    return List.copyOf(names);
  }

  /** This configuration served with other server settings (a {@code --port} from the command line, say). */
  public BatonConfig withServer(ServerConfig newServer) {
    return new BatonConfig(newServer, models, router, database, logging, catalogue, telemetry, redis, cache);
  }

  /** This configuration with another response cache (null: none). */
  public BatonConfig withCache(@Nullable CacheConfig newCache) {
    return new BatonConfig(server, models, router, database, logging, catalogue, telemetry, redis, newCache);
  }
}
