package dev.baton.store;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request refused for its key, as the contract's table says to answer it (section 7): the status, the
 * OpenAI error body's {@code type}, {@code code}, {@code message} and {@code param}, and the headers to
 * send. A front door renders it in its own protocol's error shape.
 */
public record Refusal(int status, String type, String code, String message, @Nullable String param,
    Map<String, String> headers) {

  public Refusal {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** 401 {@code invalid_api_key}: unknown, revoked, expired or blocked. */
  public static Refusal invalidApiKey(String why) {
    return new Refusal(401, "invalid_request_error", "invalid_api_key", "Invalid API key: " + why, null, Map.of());
  }

  /** 403 {@code model_not_allowed}. */
  public static Refusal modelNotAllowed(String model, String owner) {
    return new Refusal(403, "permission_error", "model_not_allowed",
        "This key may not use the model '" + model + "': it is not in the models allowed for " + owner + ".", "model",
        Map.of());
  }

  /** 429 {@code rate_limit_exceeded} with {@code Retry-After} (whole seconds, at least 1) and the window's headers. */
  public static Refusal rateLimited(String what, long limit, String owner, Duration retryAfter,
      Map<String, String> rateHeaders) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    Map<String, String> headers = new LinkedHashMap<>(rateHeaders);
    headers.put("retry-after", Long.toString(seconds));
    return new Refusal(429, "rate_limit_error", "rate_limit_exceeded",
        "Rate limit reached for " + owner + ": " + limit + " " + what + " per minute. Try again in " + seconds
            + " s.", null, headers);
  }

  /**
   * 429 {@code insufficient_quota} / {@code budget_exceeded} with {@code x-should-retry: false}; the
   * message names the budget, its spend, its limit and when it resets.
   */
  public static Refusal budgetExceeded(String owner, double spentUsd, double limitUsd, @Nullable Instant resetsAt) {
    String when = resetsAt == null ? "it does not reset (no budget_duration)" : "it resets at " + resetsAt;
    return new Refusal(429, "insufficient_quota", "budget_exceeded",
        "Budget exceeded for " + owner + ": spent $" + usd(spentUsd) + " of its $" + usd(limitUsd) + " budget; " + when
            + ".", null, Map.of("x-should-retry", "false"));
  }

  private static String usd(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }
}
