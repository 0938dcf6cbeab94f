package dev.baton.local;

import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where a deployment's model is, checked when the deployment is created: a model that is missing or
 * unreadable is a configuration error naming the path, never a failure at the first request.
 */
public final class ModelPath {

  private ModelPath() {}

  /** The readable regular file {@code value} names, as an absolute path. */
  public static Path file(ModelConfig config, String option, String value) {
    Path path = existing(config, option, value);
    if (Files.isDirectory(path)) {
      throw problem(config, option, path, "is a folder, not a model file");
    }
    if (!Files.isReadable(path)) {
      throw problem(config, option, path, "cannot be read (permission denied)");
    }
    return path;
  }

  /** The readable folder {@code value} names, as an absolute path. */
  public static Path folder(ModelConfig config, String option, String value) {
    Path path = existing(config, option, value);
    if (!Files.isDirectory(path)) {
      throw problem(config, option, path, "is a file; it must be a folder");
    }
    if (!Files.isReadable(path) || !Files.isExecutable(path)) {
      throw problem(config, option, path, "cannot be read (permission denied)");
    }
    return path;
  }

  /** A file the model folder must hold: readable, or a problem naming it. */
  public static Path member(ModelConfig config, String option, Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw problem(config, option, file, "does not exist; the folder needs " + what);
    }
    if (!Files.isReadable(file)) {
      throw problem(config, option, file, "cannot be read (permission denied)");
    }
    return file;
  }

  /** A configuration error about the model at {@code path}. */
  public static ConfigException problem(ModelConfig config, String option, Path path, String what) {
    return new ConfigException(config.origin() + ": " + option + " '" + path + "' " + what);
  }

  private static Path existing(ModelConfig config, String option, String value) {
    if (value.isBlank()) {
      throw new ConfigException(config.origin() + ": " + option + " must not be empty");
    }
    Path path;
    try {
      path = Path.of(value.strip()).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException(config.origin() + ": " + option + " '" + value + "' is not a valid path: "
          + e.getReason());
    }
    if (!Files.exists(path)) {
      throw problem(config, option, path, "does not exist");
    }
    return path;
  }
}
