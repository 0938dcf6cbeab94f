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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAI-speaking providers, as one table of data: each preset is an endpoint, where its key and
 * base URL are read from, and the few ways it departs from OpenAI that a gateway must know. Everything
 * else is the same {@link OpenAiProvider}; what differs in their error bodies and context-window messages
 * is read in the one place every provider's errors are ({@link dev.baton.wire.OpenAiErrorReader},
 * {@link dev.baton.provider.UpstreamErrors}).
 *
 * @param name the provider's name in configuration
 * @param defaultBase its usual endpoint, or null when every deployment must say
 * @param keyVariables where its key is read from, first found wins; empty when it has none
 * @param key whether a deployment without a key is a start-up error
 * @param baseVariable where its endpoint may be read from
 * @param streamUsage whether it accepts {@code stream_options.include_usage}, so every stream can report
 *     usage for metrics (servers that reject unknown fields do not get it)
 * @param rateLimitResets headers that say when a rate-limit window reopens (such as Cerebras's
 *     {@code x-ratelimit-reset-tokens-minute}), read on a 429 that has no {@code Retry-After}
 * @param query a query string every operation needs (such as Azure AI's {@code api-version}), or null
 */
public record OpenAiFactory(
    String name,
    @Nullable String defaultBase,
    List<String> keyVariables,
    KeyPolicy key,
    @Nullable String baseVariable,
    boolean streamUsage,
    List<String> rateLimitResets,
    @Nullable String query)
    implements ProviderFactory {

  /** When a deployment must have a key. */
  public enum KeyPolicy {
    /** Always: a hosted API. */
    REQUIRED,
    /** Never: a server one runs oneself, which may or may not ask for one. */
    OPTIONAL,
    /** For the hosted endpoint, not for a self-hosted one (NVIDIA's NIM containers). */
    REQUIRED_FOR_DEFAULT_BASE
  }

  public OpenAiFactory {
    keyVariables = List.copyOf(keyVariables);
    rateLimitResets = List.copyOf(rateLimitResets);
  }

  /** OpenAI's own reset headers; it sends {@code Retry-After} on most throttles, not all. */
  private static final List<String> OPENAI_RESETS = List.of("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens");
  /** Azure AI's Model Inference API (a {@code .../models} base) wants this version on every call. */
  static final String AZURE_AI_INFERENCE_VERSION = "2024-05-01-preview";

  /**
   * The presets. A hosted API reads {@code <NAME>_API_KEY} and {@code <NAME>_BASE_URL}; a server one runs
   * oneself defaults to its usual local port and needs no key.
   */
  public static final List<OpenAiFactory> PRESETS = List.of(
      hosted("openai", "https://api.openai.com/v1", "OPENAI").resets(OPENAI_RESETS),
      new OpenAiFactory("openai-compatible", null, List.of(), KeyPolicy.OPTIONAL, null, false, List.of(), null),
      hosted("mistral", "https://api.mistral.ai/v1", "MISTRAL").noStreamUsage(),
      hosted("groq", "https://api.groq.com/openai/v1", "GROQ"),
      hosted("deepseek", "https://api.deepseek.com/v1", "DEEPSEEK"),
      hosted("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER"),
      hosted("together", "https://api.together.xyz/v1", "TOGETHER"),
      hosted("xai", "https://api.x.ai/v1", "XAI"),
      hosted("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS"),
      // Usage always ends Perplexity's streams; its citations travel in every answer and chunk, passed on.
      hosted("perplexity", "https://api.perplexity.ai", "PERPLEXITY").noStreamUsage(),
      hosted("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS").resets(List.of(
          "x-ratelimit-reset-tokens-minute", "x-ratelimit-reset-requests-minute", "x-ratelimit-reset-requests-hour",
          "x-ratelimit-reset-tokens-hour", "x-ratelimit-reset-requests-day", "x-ratelimit-reset-tokens-day")),
      hosted("sambanova", "https://api.sambanova.ai/v1", "SAMBANOVA"),
      hosted("deepinfra", "https://api.deepinfra.com/v1/openai", "DEEPINFRA"),
      hosted("nebius", "https://api.studio.nebius.com/v1", "NEBIUS"),
      hosted("nvidia", "https://integrate.api.nvidia.com/v1", "NVIDIA").noStreamUsage()
          .keyPolicy(KeyPolicy.REQUIRED_FOR_DEFAULT_BASE),
      // The router hands each model to one of many providers, not all of which take stream_options.
      hosted("huggingface", "https://router.huggingface.co/v1", "HUGGINGFACE").noStreamUsage().alsoKey("HF_TOKEN"),
      hosted("azure-ai", null, "AZURE_AI"),
      // Workers AI's OpenAI-compatible endpoint lives under the account: the base names it.
      hosted("cloudflare", "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1", "CLOUDFLARE")
          .noStreamUsage().alsoKey("CLOUDFLARE_API_TOKEN"),
      selfHosted("vllm", "http://localhost:8000/v1", "VLLM"),
      selfHosted("llamacpp", "http://localhost:8080/v1", "LLAMACPP"),
      selfHosted("lmstudio", "http://localhost:1234/v1", "LMSTUDIO"),
      selfHosted("tgi", "http://localhost:8080/v1", "TGI").noStreamUsage());

  private static OpenAiFactory hosted(String name, @Nullable String base, String prefix) {
    return new OpenAiFactory(name, base, List.of(prefix + "_API_KEY"), KeyPolicy.REQUIRED, prefix + "_BASE_URL",
        true, List.of(), null);
  }

  private static OpenAiFactory selfHosted(String name, String base, String prefix) {
    return new OpenAiFactory(name, base, List.of(prefix + "_API_KEY"), KeyPolicy.OPTIONAL, prefix + "_BASE_URL",
        true, List.of(), null);
  }

  private OpenAiFactory noStreamUsage() {
    return new OpenAiFactory(name, defaultBase, keyVariables, key, baseVariable, false, rateLimitResets, query);
  }

  private OpenAiFactory resets(List<String> headers) {
    return new OpenAiFactory(name, defaultBase, keyVariables, key, baseVariable, streamUsage, headers, query);
  }

  private OpenAiFactory keyPolicy(KeyPolicy policy) {
    return new OpenAiFactory(name, defaultBase, keyVariables, policy, baseVariable, streamUsage, rateLimitResets,
        query);
  }

  private OpenAiFactory alsoKey(String variable) {
    List<String> variables = new ArrayList<>(keyVariables);
    variables.add(variable);
    return new OpenAiFactory(name, defaultBase, variables, key, baseVariable, streamUsage, rateLimitResets, query);
  }

  /**
   * The default endpoint, with a {@code ${VARIABLE}} in it read from the environment (Cloudflare's account
   * id); a variable that is not set is a start-up error naming it, unless the deployment gives an endpoint.
   */
  private @Nullable String defaultBase(ModelConfig config, ProviderContext context) {
    if (defaultBase == null || !defaultBase.contains("${")) {
      return defaultBase;
    }
    int start = defaultBase.indexOf("${");
    int end = defaultBase.indexOf('}', start);
    String variable = defaultBase.substring(start + 2, end);
    String value = context.environment().get(variable);
    boolean ownBase = (config.apiBase() != null && !config.apiBase().isBlank())
        || (baseVariable != null && context.environment().get(baseVariable) != null);
    if ((value == null || value.isBlank()) && !ownBase) {
      throw new ConfigException(config.origin() + ": provider " + name + " needs its account: set the environment"
          + " variable " + variable + ", or the endpoint in " + baseVariable + " or the model's api_base");
    }
    return value == null || value.isBlank() ? null
        : defaultBase.substring(0, start) + value.strip() + defaultBase.substring(end + 1);
  }

  /** The first variable a key is read from, for messages and the README; null when there is none. */
  public @Nullable String keyVariable() {
    return keyVariables.isEmpty() ? null : keyVariables.get(0);
  }

  /**
   * The option that says how a deployment takes {@code /v1/responses} requests: {@code native} passes them
   * through to its own Responses API ({@code POST /responses}); {@code translate}, the default, translates
   * them into chat completions like every other provider's.
   */
  public static final String RESPONSES_API = "responses_api";

  @Override
  public Set<String> options() {
    return name.equals("azure-ai") ? Set.of(RESPONSES_API, "api_version") : Set.of(RESPONSES_API);
  }

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    URI base = context.base(config, baseVariable, defaultBase(config, context));
    Secret secret = null;
    for (String variable : keyVariables.isEmpty() ? java.util.Collections.<String>singletonList(null) : keyVariables) {
      secret = context.optionalKey(config, variable);
      if (secret != null) {
        break;
      }
    }
    boolean needsKey = key == KeyPolicy.REQUIRED
        || (key == KeyPolicy.REQUIRED_FOR_DEFAULT_BASE && base.toString().equals(defaultBase(config, context)));
    if (secret == null && needsKey) {
      throw new ConfigException(config.origin() + ": provider " + name + " needs an API key: set the environment"
          + " variable " + String.join(" or ", keyVariables) + " or the model's api_key");
    }
    return new OpenAiProvider(new BearerEndpoint(base, secret, queryFor(config, base)), config.model(),
        context.http(), streamUsage, prefill(config), rateLimitResets, nativeResponses(config));
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

  /**
   * Whether an OpenAI-compatible deployment continues a trailing assistant message: as set, or else
   * learned — vLLM, llama.cpp and others continue it, OpenAI answers it anew, Mistral refuses it.
   */
  public static Capabilities prefill(ModelConfig config) {
    return config.assistantPrefill() == null
        ? Capabilities.prefillToLearn(true)
        : new Capabilities(config.assistantPrefill(), true);
  }

  /**
   * The query every operation carries: Azure AI's {@code api-version} when the base is its Model Inference
   * API ({@code https://<resource>.services.ai.azure.com/models}) or the deployment sets one; none for its
   * OpenAI-compatible {@code /openai/v1} and serverless endpoints, nor for any other preset.
   */
  private @Nullable String queryFor(ModelConfig config, URI base) {
    String version = config.option("api_version");
    if (version != null && !version.isBlank()) {
      return "api-version=" + version.strip();
    }
    if (name.equals("azure-ai") && base.getPath() != null && base.getPath().endsWith("/models")) {
      return "api-version=" + AZURE_AI_INFERENCE_VERSION;
    }
    return query;
  }

  /** OpenAI's layout: operations under the base URL, the key as a bearer token. */
  record BearerEndpoint(URI base, @Nullable Secret key, @Nullable String query, java.util.Map<String, URI> uris)
      implements OpenAiProvider.Endpoint {

    BearerEndpoint(URI base, @Nullable Secret key, @Nullable String query) {
      this(base, key, query, new java.util.concurrent.ConcurrentHashMap<>());
    }

    /** Parsed once per operation: building and parsing the URI string cost 5% of a request. */
    @Override
    public URI uri(String operation) {
      URI uri = uris.get(operation);
      return uri != null ? uri : uris.computeIfAbsent(operation,
          o -> URI.create(base + "/" + o + (query == null ? "" : "?" + query)));
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
