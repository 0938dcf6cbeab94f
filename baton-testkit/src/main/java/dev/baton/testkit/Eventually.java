package dev.baton.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the system promises within a bound (2 s across instances, say), and fails past it. */
public final class Eventually {

  private Eventually() {}

  /** How long it took; fails with {@code what} if {@code condition} is not true within {@code bound}. */
  public static Duration within(Duration bound, String what, BooleanSupplier condition) {
    return within(System.nanoTime(), bound, what, condition);
  }

  /**
   * How long after {@code sinceNanos} ({@link System#nanoTime()}: the event the bound is about) the condition
   * held; fails with {@code what} if it does not hold within {@code bound} of that moment.
   */
  public static Duration within(long sinceNanos, Duration bound, String what, BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - sinceNanos > bound.toNanos()) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
    return Duration.ofNanos(System.nanoTime() - sinceNanos);
  }
}
