package dev.baton.provider.openai;

import dev.baton.config.ModelConfig;
import dev.baton.config.Secret;
import dev.baton.provider.Capabilities;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-speaking providers. Each preset is an endpoint and the environment variables its keys
 * and base URLs are read from; everything else is the same {@link OpenAiProvider}.
 *
 * @param name the provider's name in configuration
 * @param defaultBase its usual endpoint, or null when every deployment must say
 * @param keyVariable where its key is read from, or null when it has none
 * @param keyRequired whether a deployment without a key is a start-up error
 * @param baseVariable where its endpoint may be read from
 * @param streamUsage whether it accepts {@code stream_options.include_usage}, so every stream can report
 *     usage for metrics
 */
public record OpenAiFactory(
    String name,
    @Nullable String defaultBase,
    @Nullable String keyVariable,
    boolean keyRequired,
    @Nullable String baseVariable,
    boolean streamUsage)
    implements ProviderFactory {

  public static final List<OpenAiFactory> PRESETS = List.of(
      new OpenAiFactory("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", true, "OPENAI_BASE_URL", true),
      new OpenAiFactory("openai-compatible", null, null, false, null, false),
      new OpenAiFactory("mistral", "https://api.mistral.ai/v1", "MISTRAL_API_KEY", true, "MISTRAL_BASE_URL", false),
      new OpenAiFactory("groq", "https://api.groq.com/openai/v1", "GROQ_API_KEY", true, "GROQ_BASE_URL", true),
      new OpenAiFactory("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", true, "DEEPSEEK_BASE_URL", true),
      new OpenAiFactory(
          "openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY", true, "OPENROUTER_BASE_URL", true),
      new OpenAiFactory(
          "together", "https://api.together.xyz/v1", "TOGETHER_API_KEY", true, "TOGETHER_BASE_URL", true));

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    URI base = context.base(config, baseVariable, defaultBase);
    Secret key = keyRequired ? context.requireKey(config, keyVariable) : context.optionalKey(config, keyVariable);
    return new OpenAiProvider(new BearerEndpoint(base, key), config.model(), context.http(), streamUsage,
        prefill(config));
  }

  /**
   * Whether an OpenAI-compatible deployment continues a trailing assistant message: as set, or else
   * learned — vLLM, llama.cpp and others continue it, OpenAI answers it anew, Mistral refuses it.
   */
  public static Capabilities prefill(ModelConfig config) {
    return config.assistantPrefill() == null
        ? Capabilities.prefillToLearn(true)
        : new Capabilities(config.assistantPrefill(), true);
  }

  /** OpenAI's layout: operations under the base URL, the key as a bearer token. */
  record BearerEndpoint(URI base, @Nullable Secret key, java.util.Map<String, URI> uris)
      implements OpenAiProvider.Endpoint {

    BearerEndpoint(URI base, @Nullable Secret key) {
      this(base, key, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** Parsed once per operation: building and parsing the URI string cost 5% of a request. */
    @Override
    public URI uri(String operation) {
      URI uri = uris.get(operation);
      return uri != null ? uri : uris.computeIfAbsent(operation, o -> URI.create(base + "/" + o));
    }

    @Override
    public void authorize(HttpRequest.Builder request) {
      if (key != null) {
        request.header("Authorization", "Bearer " + key.reveal());
      }
    }

    @Override
    public @Nullable String secret() {
      return key == null ? null : key.reveal();
    }
  }
}
