package dev.baton.catalogue;

import dev.baton.Usage;
import org.jspecify.annotations.Nullable;

/**
 * A deployment's prices, in USD per million tokens: what an answer's {@link Usage} costs.
 *
 * @param inputPerMtok uncached input tokens
 * @param outputPerMtok output tokens (reasoning tokens included, as providers bill them)
 * @param cachedInputPerMtok input tokens read from the provider's prompt cache; null means the input price
 * @param cacheWritePerMtok input tokens written to the prompt cache (Anthropic); null means the input price
 */
public record Pricing(
    double inputPerMtok, double outputPerMtok, @Nullable Double cachedInputPerMtok, @Nullable Double cacheWritePerMtok) {

  /** What {@code usage} costs, in USD. */
  public double cost(Usage usage) {
    long cached = Math.max(0, usage.cachedTokens());
    long written = Math.max(0, usage.cacheWriteTokens());
    long plain = Math.max(0, usage.promptTokens() - cached - written);
    double input = plain * inputPerMtok
        + cached * (cachedInputPerMtok == null ? inputPerMtok : cachedInputPerMtok)
        + written * (cacheWritePerMtok == null ? inputPerMtok : cacheWritePerMtok);
    return (input + (double) usage.completionTokens() * outputPerMtok) / 1_000_000.0;
  }
}
