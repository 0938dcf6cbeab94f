package dev.baton.config;

/**
 * What the request log keeps.
 *
 * @param storeContent when true, each request-log row also keeps the prompt and the answer; off by
 *     default, so the log holds who asked what model and what it cost, not what was said
 */
public record LoggingConfig(boolean storeContent) {

  public static LoggingConfig defaults() {
    return new LoggingConfig(false);
  }
}
