package dev.baton.cache;

/** How the response cache took part in one answer. */
public enum CacheStatus {
  /** Answered from an entry stored for the same request: no upstream call. */
  HIT,
  /** Answered from an entry whose request's last user message means nearly the same: no upstream call. */
  SEMANTIC_HIT,
  /** Looked up (or told not to look, {@code no-cache}) and answered upstream; the answer is stored if it completes. */
  MISS,
  /** Not cached at all: {@code no-store}, or a model the cache does not cover. */
  BYPASS;

  /** Whether the answer came from the cache. */
  public boolean hit() {
    return this == HIT || this == SEMANTIC_HIT;
  }
}
