package dev.baton.store.limits;

import java.time.Duration;

/**
 * A 60-second window after a check.
 *
 * @param admitted whether the request fits (and, for {@link LimitCounters#admitRequest}, was counted)
 * @param used what the window holds now, this request included when admitted
 * @param limit the window's limit
 * @param resetIn when refused: how long until the window has room again; when admitted: how long until
 *     the oldest entry in it leaves it
 */
public record WindowState(boolean admitted, long used, long limit, Duration resetIn) {

  /** What is left under the limit, never below zero. */
  public long remaining() {
    return Math.max(0, limit - used);
  }
}
