package dev.baton.store;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a key or a team may do. Every field is optional: {@code null} (or an empty model list) is no limit.
 *
 * @param models the public model names allowed; empty: every model
 * @param rpm requests per minute (a sliding 60-second window)
 * @param tpm tokens (input plus output) per minute
 * @param maxBudgetUsd the most it may spend, in USD, per period or in all
 * @param budgetDuration the budget's period; {@code null}: the budget is for all time
 */
public record Limits(
    List<String> models,
    @Nullable Long rpm,
    @Nullable Long tpm,
    @Nullable Double maxBudgetUsd,
    @Nullable BudgetPeriod budgetDuration) {

  public static final Limits NONE = new Limits(List.of(), null, null, null, null);

  public Limits {
    models = List.copyOf(models);
  }

  /** True when any rate limit (rpm or tpm) is set. */
  public boolean hasRateLimits() {
    return rpm != null || tpm != null;
  }
}
