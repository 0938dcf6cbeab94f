package dev.baton.store;

import org.jspecify.annotations.Nullable;

/** Spend of one group: a key's or team's id, a model name, or a day as {@code YYYY-MM-DD}. */
public record SpendRow(@Nullable String group, double spendUsd, long requests, long inputTokens, long outputTokens) {}
