package dev.baton.store.limits;

import java.time.Duration;

/**
 * A sliding 60-second window in one-second buckets: what was added in the last 60 whole seconds. Exact to
 * the second, constant memory, and each call holds the window's monitor for a few dozen instructions —
 * contention only between requests of the same key or team, never across them.
 */
final class SlidingWindow {

  static final int SECONDS = 60;

  private final long[] counts = new long[SECONDS];
  private final long[] stamps = new long[SECONDS];
  private long total;
  private long expiredUpTo = Long.MIN_VALUE;

  /** Adds {@code amount} if the window would then hold at most {@code limit}; or always, with {@code force}. */
  synchronized WindowState add(long amount, long limit, long nowMs, boolean force) {
    long second = Math.floorDiv(nowMs, 1000);
    expire(second);
    if (!force && total + amount > limit) {
      return new WindowState(false, total, limit, untilRoomFor(amount, limit, second, nowMs));
    }
    int i = (int) Math.floorMod(second, SECONDS);
    if (stamps[i] != second) {
      stamps[i] = second;
      counts[i] = 0;
    }
    counts[i] += amount;
    total += amount;
    return new WindowState(true, total, limit, untilOldestLeaves(second, nowMs));
  }

  /** The window now; admitted while it holds less than {@code limit}. */
  synchronized WindowState peek(long limit, long nowMs) {
    long second = Math.floorDiv(nowMs, 1000);
    expire(second);
    boolean room = total < limit;
    return new WindowState(room, total, limit, room ? untilOldestLeaves(second, nowMs) : untilRoomFor(1, limit, second, nowMs));
  }

  /** Takes back {@code amount} added at {@code atMs}, if that second is still in the window. */
  synchronized void remove(long amount, long atMs) {
    long second = Math.floorDiv(atMs, 1000);
    int i = (int) Math.floorMod(second, SECONDS);
    if (stamps[i] == second && counts[i] > 0) {
      long taken = Math.min(amount, counts[i]);
      counts[i] -= taken;
      total -= taken;
    }
  }

  private void expire(long second) {
    if (second == expiredUpTo) {
      return;
    }
    expiredUpTo = second;
    for (int i = 0; i < SECONDS; i++) {
      if (counts[i] != 0 && stamps[i] <= second - SECONDS) {
        total -= counts[i];
        counts[i] = 0;
      }
    }
  }

  /** How long until enough old seconds leave the window for {@code amount} more to fit. */
  private Duration untilRoomFor(long amount, long limit, long second, long nowMs) {
    long freed = 0;
    for (long s = second - SECONDS + 1; s <= second; s++) {
      int i = (int) Math.floorMod(s, SECONDS);
      if (stamps[i] == s) {
        freed += counts[i];
      }
      if (total - freed + amount <= limit) {
        return Duration.ofMillis((s + SECONDS) * 1000 - nowMs);
      }
    }
    return Duration.ofSeconds(SECONDS);
  }

  private Duration untilOldestLeaves(long second, long nowMs) {
    for (long s = second - SECONDS + 1; s <= second; s++) {
      int i = (int) Math.floorMod(s, SECONDS);
      if (stamps[i] == s && counts[i] > 0) {
        return Duration.ofMillis((s + SECONDS) * 1000 - nowMs);
      }
    }
    return Duration.ZERO;
  }
}
