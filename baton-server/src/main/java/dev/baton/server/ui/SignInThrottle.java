package dev.baton.server.ui;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * How often a wrong master key may be tried at the sign-in form: {@link #MAX_FAILURES} failures per client
 * address within {@link #WINDOW}, and {@link #MAX_FAILURES_ALL} from all addresses together (a guesser
 * with many addresses). Past either, sign-in answers 429 with {@code Retry-After} without looking at the key,
 * until the oldest failure in the window has aged out. Successful sign-ins count for nothing.
 */
final class SignInThrottle {

  static final int MAX_FAILURES = 5;
  static final int MAX_FAILURES_ALL = 50;
  static final Duration WINDOW = Duration.ofMinutes(1);
  /** Beyond this many addresses tracked, those whose failures have all aged out are forgotten. */
  private static final int TRACKED = 10_000;
  private static final String ALL = "*";

  private final InstantSource clock;
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

  SignInThrottle(InstantSource clock) {
    this.clock = clock;
  }

  /** How long {@code client} must wait before trying again, or null when it may try now. */
  @Nullable Duration wait(String client) {
    long now = clock.millis();
    long mine = waitMillis(client, MAX_FAILURES, now);
    long everyone = waitMillis(ALL, MAX_FAILURES_ALL, now);
    long wait = Math.max(mine, everyone);
    return wait <= 0 ? null : Duration.ofMillis(wait);
  }

  /** Counts a wrong key from {@code client}. */
  void failed(String client) {
    long now = clock.millis();
    add(client, now);
    add(ALL, now);
    if (failures.size() > TRACKED) {
      failures.entrySet().removeIf(e -> {
        synchronized (e.getValue()) {
          return prune(e.getValue(), now).isEmpty();
        }
      });
    }
  }

  private void add(String client, long now) {
    Deque<Long> times = failures.computeIfAbsent(client, c -> new ArrayDeque<>());
    synchronized (times) {
      prune(times, now).addLast(now);
    }
  }

  private long waitMillis(String client, int max, long now) {
    Deque<Long> times = failures.get(client);
    if (times == null) {
      return 0;
    }
    synchronized (times) {
      prune(times, now);
      if (times.size() < max) {
        return 0;
      }
      // Wait until enough of the oldest have aged out to leave room for one more.
      long blocking = times.stream().skip(times.size() - max).findFirst().orElse(now);
      return blocking + WINDOW.toMillis() - now;
    }
  }

  private static Deque<Long> prune(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW.toMillis()) {
      times.removeFirst();
    }
    return times;
  }
}
