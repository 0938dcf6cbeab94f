package dev.baton.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A whole configuration: what the gateway serves and how the router plans. Read one from YAML with
 * {@link ConfigLoader}; {@code Baton.builder()} builds one in code.
 *
 * @param database where keys, teams, spend and stored responses live
 * @param logging what the request log keeps
 */
public record BatonConfig(
    ServerConfig server, List<ModelConfig> models, RouterConfig router, DatabaseConfig database, LoggingConfig logging) {

  public BatonConfig {
    models = List.copyOf(models);
  }

  /** A configuration with the default database (embedded, under the working directory) and logging. */
  public BatonConfig(ServerConfig server, List<ModelConfig> models, RouterConfig router) {
    this(server, models, router, DatabaseConfig.embeddedIn(Path.of("")), LoggingConfig.defaults());
  }

  /** Each public model name once, in the order first defined. */
  public List<String> modelNames() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (ModelConfig m : models) {
      names.add(m.name());
    }
    return List.copyOf(names);
  }

  /** This configuration with another server section. */
  public BatonConfig withServer(ServerConfig newServer) {
    return new BatonConfig(newServer, models, router, database, logging);
  }
}
