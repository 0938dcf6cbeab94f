package dev.baton.config;

import dev.baton.catalogue.Catalogue;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A whole configuration: what the gateway serves and how the router plans. Read one from YAML with
 * {@link ConfigLoader}; {@code Baton.builder()} builds one in code.
 *
 * @param catalogue the model catalogue deployments take unset figures from: the built-in one, with the
 *     file named by {@code catalogue:} merged over it
 */
public record BatonConfig(ServerConfig server, List<ModelConfig> models, RouterConfig router, Catalogue catalogue) {

  public BatonConfig {
    models = List.copyOf(models);
    Objects.requireNonNull(catalogue, "catalogue");
  }

  /** A configuration with the built-in catalogue. */
  public BatonConfig(ServerConfig server, List<ModelConfig> models, RouterConfig router) {
    this(server, models, router, Catalogue.builtIn());
  }

  /** This configuration served with other server settings (a {@code --port} from the command line, say). */
  public BatonConfig withServer(ServerConfig server) {
    return new BatonConfig(server, models, router, catalogue);
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
