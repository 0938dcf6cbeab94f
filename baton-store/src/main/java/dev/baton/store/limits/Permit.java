package dev.baton.store.limits;

import dev.baton.store.keys.KeyContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted request of a virtual key. When it ends, {@link #complete} records its tokens and cost in the
 * key's and team's windows and budgets — once, however often it is called. {@link #headers()} are the
 * {@code x-ratelimit-*} values to send with its answer (none when neither key nor team has rate limits).
 */
public final class Permit {

  private final Enforcer enforcer;
  private final KeyContext key;
  private final Map<String, String> headers;
  private final AtomicBoolean completed = new AtomicBoolean();

  Permit(Enforcer enforcer, KeyContext key, Map<String, String> headers) {
    this.enforcer = enforcer;
    this.key = key;
    this.headers = headers;
  }

  public KeyContext key() {
    return key;
  }

  /** {@code x-ratelimit-limit-requests}, {@code x-ratelimit-remaining-requests}, ... for the answer. */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Records what the request used: the tokens the upstream reported and the answer's cost (0 for a cache
   * hit or a failure). True when this completion is the one that took the key's or its team's budget
   * from under its limit to at or over it — from then on, its requests are refused.
   */
  public boolean complete(long inputTokens, long outputTokens, double costUsd) {
    if (!completed.compareAndSet(false, true)) {
      return false;
    }
    return enforcer.record(key, inputTokens + outputTokens, costUsd);
  }
}
