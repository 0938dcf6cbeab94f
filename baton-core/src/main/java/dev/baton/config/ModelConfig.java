package dev.baton.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One deployment: a provider's model served under a public name. Several deployments with one name form
 * a load-balanced group. Unset settings are null and fall back to the router's defaults.
 *
 * @param name the public name clients ask for
 * @param provider the provider, such as {@code openai} or {@code mock}
 * @param model the provider's own model id
 * @param apiBase the endpoint; null means the provider's usual one (or its environment variable)
 * @param apiKey the key; null means the provider's usual environment variable
 * @param timeout per attempt: the whole non-streamed answer
 * @param firstTokenTimeout per streamed attempt: until the first content
 * @param idleTimeout per streamed attempt: the longest silence between chunks
 * @param retries extra attempts on this deployment for retryable errors
 * @param weight its share within its group
 * @param rpm requests per minute it may take; at the limit it is skipped
 * @param tpm tokens per minute it may take; at the limit it is skipped
 * @param maxInputTokens its context window for prompts; enables the pre-call check
 * @param inputCostPerMtok price of a million input tokens, in USD
 * @param outputCostPerMtok price of a million output tokens, in USD
 * @param assistantPrefill whether it continues a trailing assistant message, which decides for good how
 *     its broken streams are continued; null means the provider's default, learned per deployment from
 *     how it answers (OpenAI-compatible deployments prove it first; a 400 or a reply that is not a
 *     continuation teaches Baton that it does not)
 * @param hedgeAfter hedging for this deployment's group: a duration such as {@code 2s}, or a percentile of
 *     the group's recent time to first token such as {@code p95}; null means no hedging
 * @param options provider-specific settings, such as Azure's {@code api_version}
 * @param origin where it was defined, such as {@code baton.yaml:12}, for messages
 */
public record ModelConfig(
    String name,
    String provider,
    String model,
    @Nullable String apiBase,
    @Nullable Secret apiKey,
    @Nullable Duration timeout,
    @Nullable Duration firstTokenTimeout,
    @Nullable Duration idleTimeout,
    @Nullable Integer retries,
    int weight,
    @Nullable Integer rpm,
    @Nullable Integer tpm,
    @Nullable Integer maxInputTokens,
    @Nullable Double inputCostPerMtok,
    @Nullable Double outputCostPerMtok,
    @Nullable Boolean assistantPrefill,
    @Nullable String hedgeAfter,
    Map<String, String> options,
    String origin) {

  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    options = Map.copyOf(options);
  }

  public static Builder builder(String name, String provider, String model) {
    return new Builder(name, provider, model);
  }

  /** Option names that hold credentials (Bedrock's {@code aws_secret_access_key}, say): never printed. */
  private static final java.util.regex.Pattern SECRET_OPTION =
      java.util.regex.Pattern.compile("(?i)secret|key|token|password|credential");

  /** The settings, with credentials masked: safe for logs and messages. */
  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    options.forEach((k, v) -> shown.put(k, SECRET_OPTION.matcher(k).find() ? "****" : v));
    return "ModelConfig[name=" + name + ", provider=" + provider + ", model=" + model + ", apiBase=" + apiBase
        + ", apiKey=" + (apiKey == null ? null : apiKey) + ", timeout=" + timeout + ", firstTokenTimeout="
        + firstTokenTimeout + ", idleTimeout=" + idleTimeout + ", retries=" + retries + ", weight=" + weight
        + ", hedgeAfter=" + hedgeAfter + ", options=" + shown + ", origin=" + origin + "]";
  }

  /**
   * This deployment with the given values wherever it sets none: the model catalogue's figures, which the
   * configuration always overrides.
   */
  public ModelConfig withDefaults(@Nullable Integer maxInputTokens, @Nullable Double inputCostPerMtok,
      @Nullable Double outputCostPerMtok, @Nullable Boolean assistantPrefill) {
    return new ModelConfig(name, provider, model, apiBase, apiKey, timeout, firstTokenTimeout, idleTimeout, retries,
        weight, rpm, tpm,
        this.maxInputTokens != null ? this.maxInputTokens : maxInputTokens,
        this.inputCostPerMtok != null ? this.inputCostPerMtok : inputCostPerMtok,
        this.outputCostPerMtok != null ? this.outputCostPerMtok : outputCostPerMtok,
        this.assistantPrefill != null ? this.assistantPrefill : assistantPrefill,
        hedgeAfter, options, origin);
  }

  /** A provider-specific setting, or null. */
  public @Nullable String option(String key) {
    return options.get(key);
  }

  /** A builder for {@link ModelConfig}. */
  public static final class Builder {
    private final String name;
    private final String provider;
    private final String model;
    private @Nullable String apiBase;
    private @Nullable Secret apiKey;
    private @Nullable Duration timeout;
    private @Nullable Duration firstTokenTimeout;
    private @Nullable Duration idleTimeout;
    private @Nullable Integer retries;
    private int weight = 1;
    private @Nullable Integer rpm;
    private @Nullable Integer tpm;
    private @Nullable Integer maxInputTokens;
    private @Nullable Double inputCostPerMtok;
    private @Nullable Double outputCostPerMtok;
    private @Nullable Boolean assistantPrefill;
    private @Nullable String hedgeAfter;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String origin;

    private Builder(String name, String provider, String model) {
      this.name = name;
      this.provider = provider;
      this.model = model;
      this.origin = "model '" + name + "'";
    }

    public Builder apiBase(@Nullable String apiBase) {
      this.apiBase = apiBase;
      return this;
    }

    public Builder apiKey(@Nullable String apiKey) {
      this.apiKey = apiKey == null ? null : Secret.of(apiKey);
      return this;
    }

    public Builder timeout(@Nullable Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder firstTokenTimeout(@Nullable Duration firstTokenTimeout) {
      this.firstTokenTimeout = firstTokenTimeout;
      return this;
    }

    public Builder idleTimeout(@Nullable Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
      return this;
    }

    public Builder retries(@Nullable Integer retries) {
      this.retries = retries;
      return this;
    }

    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    public Builder rpm(@Nullable Integer rpm) {
      this.rpm = rpm;
      return this;
    }

    public Builder tpm(@Nullable Integer tpm) {
      this.tpm = tpm;
      return this;
    }

    public Builder maxInputTokens(@Nullable Integer maxInputTokens) {
      this.maxInputTokens = maxInputTokens;
      return this;
    }

    public Builder inputCostPerMtok(@Nullable Double cost) {
      this.inputCostPerMtok = cost;
      return this;
    }

    public Builder outputCostPerMtok(@Nullable Double cost) {
      this.outputCostPerMtok = cost;
      return this;
    }

    public Builder assistantPrefill(@Nullable Boolean assistantPrefill) {
      this.assistantPrefill = assistantPrefill;
      return this;
    }

    /** Hedging for this deployment's group: a duration such as {@code 2s}, or a percentile such as {@code p95}. */
    public Builder hedgeAfter(@Nullable String hedgeAfter) {
      this.hedgeAfter = hedgeAfter;
      return this;
    }

    public Builder option(String key, String value) {
      options.put(key, value);
      return this;
    }

    public Builder origin(String origin) {
      this.origin = origin;
      return this;
    }

    public ModelConfig build() {
      return new ModelConfig(name, provider, model, apiBase, apiKey, timeout, firstTokenTimeout, idleTimeout,
          retries, weight, rpm, tpm, maxInputTokens, inputCostPerMtok, outputCostPerMtok, assistantPrefill,
          hedgeAfter, options, origin);
    }
  }
}
