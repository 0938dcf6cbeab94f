package dev.baton.provider.anthropic;

import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import dev.baton.config.Secret;
import dev.baton.provider.Capabilities;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import java.net.URI;
import java.util.Set;

/**
 * Creates {@code anthropic} deployments. The key comes from {@code api_key}, else {@code ANTHROPIC_API_KEY}
 * (required); the endpoint from {@code api_base}, else {@code ANTHROPIC_BASE_URL}, else
 * {@code https://api.anthropic.com}, given with or without its {@code /v1}. One setting of its own:
 * {@code max_tokens}, the output limit of requests that set none (default 4096, which every current
 * Claude model accepts). Assistant prefill is on unless {@code assistant_prefill: false}.
 */
public final class AnthropicFactory implements ProviderFactory {

  public static final String NAME = "anthropic";
  static final String KEY_VARIABLE = "ANTHROPIC_API_KEY";
  static final String BASE_VARIABLE = "ANTHROPIC_BASE_URL";
  static final String DEFAULT_BASE = "https://api.anthropic.com";
  /** The option that sets the output limit of requests that set none. */
  public static final String MAX_TOKENS = "max_tokens";
  static final int DEFAULT_MAX_TOKENS = 4096;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> options() {
    return Set.of(MAX_TOKENS);
  }

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    URI base = context.base(config, BASE_VARIABLE, DEFAULT_BASE);
    Secret key = context.requireKey(config, KEY_VARIABLE);
    int maxTokens = maxTokens(config);
    boolean prefill = config.assistantPrefill() == null || config.assistantPrefill();
    return new AnthropicProvider(messagesUri(base), key, config.model(), maxTokens, context.http(),
        new Capabilities(prefill, false));
  }

  /** The Messages endpoint under a base that may or may not already end in the API's {@code /v1}. */
  static URI messagesUri(URI base) {
    String text = base.toString();
    return URI.create(text + (text.endsWith("/v1") ? "/messages" : "/v1/messages"));
  }

  /** The deployment's {@code max_tokens} option, else 4096; anything but a positive number is a start-up error. */
  public static int maxTokens(ModelConfig config) {
    String value = config.option(MAX_TOKENS);
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_TOKENS;
    }
    try {
      int parsed = Integer.parseInt(value.strip());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(config.origin() + ": " + MAX_TOKENS + " must be a whole number above 0, was '"
        + value + "'");
  }
}
