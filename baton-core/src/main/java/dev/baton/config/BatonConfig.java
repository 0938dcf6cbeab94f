package dev.baton.config;

import java.util.LinkedHashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A whole configuration: what the gateway serves and how the router plans. Read one from YAML with
 * {@link ConfigLoader}; {@code Baton.builder()} builds one in code.
 *
 * @param telemetry where the gateway's traces go; null when the configuration has no {@code telemetry:}
 */
public record BatonConfig(
    ServerConfig server, List<ModelConfig> models, RouterConfig router, @Nullable TelemetryConfig telemetry) {

  public BatonConfig {
    models = List.copyOf(models);
  }

  /** A configuration without telemetry. */
  public BatonConfig(ServerConfig server, List<ModelConfig> models, RouterConfig router) {
    this(server, models, router, null);
  }

  /** This configuration with other server settings. */
  public BatonConfig withServer(ServerConfig newServer) {
    return new BatonConfig(newServer, models, router, telemetry);
  }

  /** Each public model name once, in the order first defined. */
  public List<String> modelNames() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (ModelConfig m : models) {
      names.add(m.name());
    }
    return List.copyOf(names);
  }
}
