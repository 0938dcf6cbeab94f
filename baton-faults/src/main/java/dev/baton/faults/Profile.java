package dev.baton.faults;

import java.time.Duration;

/**
 * The timings of a run. {@link #REAL} is what a user would configure (retries 2, timeouts in the tens of
 * seconds) against the faults as the public benchmark injects them; {@link #SHORT} scales both down so
 * the same scenarios run in CI in about a minute per front door.
 *
 * @param timeout per-attempt timeout of a non-streamed answer
 * @param firstTokenTimeout per-attempt limit until a stream's first token
 * @param idleTimeout the longest silence within a stream
 * @param requestTimeout the whole request's deadline
 * @param cooldown how long an open circuit stays open
 * @param slowFirstToken fault 7: when the slow upstream's first token comes
 * @param firstTokenBound fault 7: the fallback must have answered by then
 * @param outage fault 15: how long the primary is down
 * @param spacing fault 15: the time between requests
 * @param recoveryBound fault 15: the primary must serve again this soon after recovering
 */
public record Profile(
    String name,
    Duration timeout,
    Duration firstTokenTimeout,
    Duration idleTimeout,
    Duration requestTimeout,
    Duration cooldown,
    Duration slowFirstToken,
    Duration firstTokenBound,
    Duration outage,
    Duration spacing,
    Duration recoveryBound) {

  public static final Profile REAL = new Profile("real", Duration.ofSeconds(30), Duration.ofSeconds(10),
      Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(20), Duration.ofSeconds(20),
      Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofSeconds(4), Duration.ofSeconds(30));

  public static final Profile SHORT = new Profile("short", Duration.ofSeconds(2), Duration.ofMillis(700),
      Duration.ofMillis(700), Duration.ofSeconds(20), Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofMillis(2500), Duration.ofSeconds(6), Duration.ofMillis(400), Duration.ofSeconds(3));

  public static Profile named(String name) {
    return switch (name) {
      case "real" -> REAL;
      case "short" -> SHORT;
      default -> throw new IllegalArgumentException("unknown profile '" + name + "': use real or short");
    };
  }

  /** YAML for a duration. */
  static String yaml(Duration d) {
    return d.toMillis() + "ms";
  }
}
