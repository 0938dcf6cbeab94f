package dev.baton.provider;

import dev.baton.config.ModelConfig;
import java.util.Set;

/** Creates the {@link Provider} of each deployment of one provider kind, checking its settings first. */
public interface ProviderFactory {

  /** The name used in configuration, such as {@code openai}. */
  String name();

  /** The provider-specific settings a deployment of this provider may have, such as {@code api_version}. */
  default Set<String> options() {
    return Set.of();
  }

  /**
   * Those of {@link #options()} that name files or folders: a relative one in a configuration file is
   * resolved against that file's folder, so a configuration works from any working directory.
   */
  default Set<String> pathOptions() {
    return Set.of();
  }

  /** Creates the provider; a missing key or endpoint is a {@link dev.baton.ConfigException} naming it. */
  Provider create(ModelConfig config, ProviderContext context);
}
