package dev.baton.server.pipeline;

/** How the response cache took part in an answer: the values of the {@code x-baton-cache} header. */
public enum CacheStatus {
  HIT("hit"),
  SEMANTIC_HIT("semantic-hit"),
  MISS("miss"),
  BYPASS("bypass");

  private final String header;

  CacheStatus(String header) {
    this.header = header;
  }

  /** The SDK's status, as the gateway names it. */
  public static CacheStatus of(dev.baton.cache.CacheStatus status) {
    return switch (status) {
      case HIT -> HIT;
      case SEMANTIC_HIT -> SEMANTIC_HIT;
      case MISS -> MISS;
      case BYPASS -> BYPASS;
    };
  }

  /** The value of the {@code x-baton-cache} header. */
  public String header() {
    return header;
  }
}
