package dev.baton.store;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a budget starts again: {@code 30m}, {@code 1h}, {@code 1d}, {@code 30d}, {@code 2w}. Periods
 * are counted from an anchor (the key's or team's creation), so a {@code 1d} budget of a key created at
 * 09:30 restarts every day at 09:30 UTC, and the period a moment falls in never depends on when the
 * gateway last started.
 */
public record BudgetPeriod(Duration length, String text) {

  private static final Pattern FORM = Pattern.compile("(\\d{1,6})(m|h|d|w)");

  public BudgetPeriod {
    if (length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("a budget period must be longer than zero, was " + text);
    }
  }

  /** Reads {@code 30m}, {@code 1h}, {@code 1d}, {@code 30d} or {@code 2w}. */
  public static BudgetPeriod parse(String text) {
    Matcher m = FORM.matcher(text.strip());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException("expected a period such as 1h, 1d or 30d (a whole number of m, h, d or w, "
          + "above 0), was '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    Duration length = switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofDays(7 * n);
    };
    return new BudgetPeriod(length, m.group(1) + m.group(2));
  }

  /** The start of the period that {@code now} falls in, counting periods from {@code anchor}. */
  public Instant periodStart(Instant anchor, Instant now) {
    long step = length.toMillis();
    long elapsed = now.toEpochMilli() - anchor.toEpochMilli();
    long periods = Math.floorDiv(elapsed, step);
    return Instant.ofEpochMilli(anchor.toEpochMilli() + Math.max(0, periods) * step);
  }

  /** When the period that {@code now} falls in ends and the budget starts again. */
  public Instant resetsAt(Instant anchor, Instant now) {
    return periodStart(anchor, now).plus(length);
  }

  @Override
  public String toString() {
    return text;
  }
}
