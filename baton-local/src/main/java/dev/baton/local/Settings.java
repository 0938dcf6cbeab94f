package dev.baton.local;

import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Reads a local deployment's own settings, each checked and named in the error when it is wrong. */
public final class Settings {

  private Settings() {}

  /** A whole number of at least 1, or {@code otherwise} when the setting is absent. */
  public static int positive(ModelConfig config, String key, int otherwise) {
    Integer value = positive(config, key);
    return value == null ? otherwise : value;
  }

  /** A whole number of at least 1, or null when the setting is absent. */
  public static @Nullable Integer positive(ModelConfig config, String key) {
    String value = config.option(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(config.origin() + ": " + key + " must be a whole number of at least 1, was '"
        + value + "'");
  }

  /** true or false, or null when the setting is absent. */
  public static @Nullable Boolean bool(ModelConfig config, String key) {
    String value = config.option(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(config.origin() + ": " + key + " must be true or false, was '"
          + value + "'");
    };
  }

  /** One of {@code choices}, or null when the setting is absent. */
  public static @Nullable String choice(ModelConfig config, String key, List<String> choices) {
    String value = config.option(key);
    if (value == null || value.isBlank()) {
      return null;
    }
    String chosen = value.strip().toLowerCase(Locale.ROOT);
    if (!choices.contains(chosen)) {
      throw new ConfigException(config.origin() + ": " + key + " must be one of " + String.join(", ", choices)
          + ", was '" + value + "'");
    }
    return chosen;
  }
}
