package dev.baton.store;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Spend summed by one dimension over a span of time.
 *
 * @param from the first moment counted (inclusive); {@code null}: from the beginning
 * @param to the moment counting stops (exclusive); {@code null}: until now
 */
public record SpendQuery(GroupBy groupBy, @Nullable Instant from, @Nullable Instant to) {

  /** What a row of the answer stands for. */
  public enum GroupBy {
    /** the virtual key's id ({@code null} for requests made without one) */
    KEY,
    /** the team's id ({@code null} for keys without a team) */
    TEAM,
    /** the public model name asked for */
    MODEL,
    /** the UTC day, {@code YYYY-MM-DD} */
    DAY;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
