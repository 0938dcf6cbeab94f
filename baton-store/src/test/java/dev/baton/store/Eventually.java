package dev.baton.store;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the system promises within a bound (5 s visibility, 10 s health), and fails past it. */
public final class Eventually {

  private Eventually() {}

  /** How long it took; fails with {@code what} if {@code condition} is not true within {@code bound}. */
  public static Duration within(Duration bound, String what, BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + bound.toMillis() + " ms: " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
