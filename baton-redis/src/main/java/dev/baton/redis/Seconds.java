package dev.baton.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * Amounts per epoch second over the last 60 seconds, for what this instance counted itself: to decide
 * alone while Redis is away, to send what it counted then, and to write it back when Redis lost it. Not
 * thread-safe: its owner holds its own lock.
 */
final class Seconds {

  private static final int SPAN = 60;

  private final long[] stamps = new long[SPAN];
  private final long[] amounts = new long[SPAN];
  private boolean empty = true;

  void add(long second, long amount) {
    int i = (int) Math.floorMod(second, SPAN);
    if (stamps[i] != second) {
      stamps[i] = second;
      amounts[i] = 0;
    }
    amounts[i] += amount;
    empty = false;
  }

  /** Takes back up to {@code amount} from {@code second}, if it is still held. */
  void remove(long second, long amount) {
    int i = (int) Math.floorMod(second, SPAN);
    if (stamps[i] == second) {
      amounts[i] = Math.max(0, amounts[i] - amount);
    }
  }

  /** Adds everything {@code other} holds. */
  void addAll(Seconds other) {
    for (int i = 0; i < SPAN; i++) {
      if (other.amounts[i] != 0) {
        add(other.stamps[i], other.amounts[i]);
      }
    }
  }

  boolean isEmpty() {
    return empty;
  }

  /** The sum of the seconds after {@code nowSecond - 60}. */
  long total(long nowSecond) {
    long sum = 0;
    for (int i = 0; i < SPAN; i++) {
      if (stamps[i] > nowSecond - SPAN) {
        sum += amounts[i];
      }
    }
    return sum;
  }

  /** Second, amount pairs of the last 60 seconds, as a script's arguments. */
  List<String> asArguments(long nowSecond) {
    List<String> args = new ArrayList<>();
    for (int i = 0; i < SPAN; i++) {
      if (amounts[i] != 0 && stamps[i] > nowSecond - SPAN) {
        args.add(Long.toString(stamps[i]));
        args.add(Long.toString(amounts[i]));
      }
    }
    return args;
  }

  void clear() {
    java.util.Arrays.fill(amounts, 0);
    empty = true;
  }

  /**
   * Milliseconds until enough of the oldest seconds leave the window for {@code amount} more to fit under
   * {@code limit}; a whole minute when even an empty window would not hold it.
   */
  long untilRoomFor(long amount, long limit, long nowMs) {
    long second = Math.floorDiv(nowMs, 1000);
    long total = total(second);
    long freed = 0;
    for (long s = second - SPAN + 1; s <= second; s++) {
      int i = (int) Math.floorMod(s, SPAN);
      if (stamps[i] == s) {
        freed += amounts[i];
      }
      if (total - freed + amount <= limit) {
        return (s + SPAN) * 1000 - nowMs;
      }
    }
    return SPAN * 1000L;
  }

  /** Milliseconds until the oldest second still holding something leaves the window; 0 when empty. */
  long untilOldestLeaves(long nowMs) {
    long second = Math.floorDiv(nowMs, 1000);
    for (long s = second - SPAN + 1; s <= second; s++) {
      int i = (int) Math.floorMod(s, SPAN);
      if (stamps[i] == s && amounts[i] > 0) {
        return (s + SPAN) * 1000 - nowMs;
      }
    }
    return 0;
  }

  Seconds copy() {
    Seconds c = new Seconds();
    c.addAll(this);
    return c;
  }
}
