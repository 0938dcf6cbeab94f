package dev.baton.store.limits;

import java.time.Instant;

/**
 * The counters enforcement reads and writes on a request's path: per scope (a key's or a team's id), a
 * sliding 60-second window of requests, one of tokens, and the spend of the current budget period. This
 * instance's memory holds them ({@link LocalCounters}); a shared implementation (Redis) can stand behind
 * the same interface so several instances count together. Implementations must be safe for concurrent
 * use and must never block for long: they are on every request's path.
 *
 * <p>Spend is in nano-USD (10⁻⁹ dollars), so sums are exact longs. A period is named by its start: a
 * counter asked about a later period than it holds starts again from zero, which is how budgets reset.
 */
public interface LimitCounters {

  /** Counts one request in {@code scope}'s request window if it holds fewer than {@code limit}. */
  WindowState admitRequest(String scope, long limit, Instant now);

  /** Takes back one request counted at {@code countedAt}: another limit refused it after this one admitted it. */
  void releaseRequest(String scope, Instant countedAt);

  /** The request window of {@code scope} now, counting nothing. */
  WindowState requests(String scope, long limit, Instant now);

  /** The token window of {@code scope} now; admitted while it holds fewer than {@code limit}. */
  WindowState tokens(String scope, long limit, Instant now);

  /** Adds a finished request's tokens to {@code scope}'s token window. */
  void addTokens(String scope, long tokens, Instant now);

  /** What {@code scope} has spent in the period starting at {@code periodStart}, in nano-USD. */
  long spend(String scope, Instant periodStart);

  /**
   * Adds spend to the period starting at {@code periodStart} and returns the period's new total. Spend
   * for a period older than the one held is not counted (that period is over).
   */
  long addSpend(String scope, Instant periodStart, long nanoUsd);

  /**
   * Sets a period's spend from the database, at start or after a budget changed; when the counter
   * already holds that period, the larger of both is kept, so spend counted meanwhile is not lost.
   */
  void seedSpend(String scope, Instant periodStart, long nanoUsd);
}
