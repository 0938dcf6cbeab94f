package dev.baton.provider.openai;

import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import dev.baton.config.Secret;
import dev.baton.provider.Capabilities;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Set;
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

  /**
   * The option that says how a deployment takes {@code /v1/responses} requests: {@code native} passes them
   * through to its own Responses API ({@code POST /responses}); {@code translate}, the default, translates
   * them into chat completions like every other provider's.
   */
  public static final String RESPONSES_API = "responses_api";

  private static final Set<String> OPTIONS = Set.of(RESPONSES_API);

  @Override
  public Set<String> options() {
    return OPTIONS;
  }

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    boolean nativeResponses = nativeResponses(config);
    URI base = context.base(config, baseVariable, defaultBase);
    Secret key = keyRequired ? context.requireKey(config, keyVariable) : context.optionalKey(config, keyVariable);
    boolean prefill = config.assistantPrefill() != null && config.assistantPrefill();
    return new OpenAiProvider(new BearerEndpoint(base, key), config.model(), context.http(), streamUsage,
        new Capabilities(prefill, true), nativeResponses);
  }

  /** Whether a deployment takes the Responses API natively ({@code responses_api: native}). */
  public static boolean nativeResponses(ModelConfig config) {
    String value = config.option(RESPONSES_API);
    if (value == null || value.isBlank() || value.strip().equals("translate")) {
      return false;
    }
    if (value.strip().equals("native")) {
      return true;
    }
    throw new ConfigException(config.origin() + ": " + RESPONSES_API + " must be 'native' or 'translate', was '"
        + value.strip() + "'");
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
