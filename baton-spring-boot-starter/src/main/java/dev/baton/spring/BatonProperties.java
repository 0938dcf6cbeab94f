package dev.baton.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Baton's configuration under {@code baton.}: the keys of Baton's YAML configuration file (its
 * {@code models} and {@code router}), or {@code baton.config} naming such a file. Written the way the file
 * writes them ({@code api_base}) or Spring's way ({@code api-base}); provider-specific keys such as Azure's
 * {@code api_version} go beside the others, as in the file.
 *
 * <pre>
 * baton:
 *   models:
 *     - name: smart
 *       provider: openai
 *       model: gpt-4o
 *     - name: fast
 *       provider: anthropic
 *       model: claude-3-5-haiku-latest
 *   router:
 *     fallbacks:
 *       smart: [fast]
 * </pre>
 *
 * <p>A model may also be a {@code provider/model} string ({@code baton.models: openai/gpt-4o,
 * anthropic/claude-3-5-haiku-latest}); such models are served under that string and each falls back to the
 * next, as with {@code Baton.builder().models(...)}.
 */
@ConfigurationProperties("baton")
public class BatonProperties {

  /**
   * A Baton YAML configuration file, the one `baton serve` reads: a path, or a classpath resource as
   * "classpath:baton.yaml". Set either this or baton.models.
   */
  private String config;

  /** The deployments: each a provider's model under a public name; several with one name form a group. */
  private List<Model> models = new ArrayList<>();

  /** How each request is planned: retries, deadline, strategy, fallbacks, circuit breakers. */
  private Router router = new Router();

  /** The public model name Spring AI's ChatModel asks for; unset, the first model. */
  private String chatModel;

  /** The public model name Spring AI's EmbeddingModel asks for; the EmbeddingModel bean exists only when it is set. */
  private String embeddingModel;

  public String getConfig() {
    return config;
  }

  public void setConfig(String config) {
    this.config = config;
  }

  public List<Model> getModels() {
    return models;
  }

  public void setModels(List<Model> models) {
    this.models = models;
  }

  public Router getRouter() {
    return router;
  }

  public void setRouter(Router router) {
    this.router = router;
  }

  public String getChatModel() {
    return chatModel;
  }

  public void setChatModel(String chatModel) {
    this.chatModel = chatModel;
  }

  public String getEmbeddingModel() {
    return embeddingModel;
  }

  public void setEmbeddingModel(String embeddingModel) {
    this.embeddingModel = embeddingModel;
  }

  /** One deployment, as a {@code models} entry of the YAML file. */
  public static class Model {

    /** The public name clients ask for. */
    private String name;

    /** The provider: openai, azure, anthropic, gemini, ollama, bedrock, cohere, mistral, groq, deepseek, openrouter, together, openai-compatible or mock. */
    private String provider;

    /** The provider's own model id, sent upstream. */
    private String model;

    /** The endpoint; unset, the provider's usual one or its environment variable. */
    private String apiBase;

    /** The key; unset, the provider's usual environment variable (OPENAI_API_KEY, ...). */
    private String apiKey;

    /** Per attempt: the whole non-streamed answer. */
    private Duration timeout;

    /** Per streamed attempt: until the first content chunk. */
    private Duration firstTokenTimeout;

    /** Per streamed attempt: the longest silence between chunks. */
    private Duration idleTimeout;

    /** Extra attempts on this deployment for retryable errors; overrides baton.router.retries. */
    private Integer retries;

    /** Its share within its group. */
    private Integer weight;

    /** Requests per minute it may take; at the limit it is skipped. */
    private Integer rpm;

    /** Tokens per minute it may take; at the limit it is skipped. */
    private Integer tpm;

    /** Its context window for prompts; enables the check before the call. */
    private Integer maxInputTokens;

    /** Price of a million input tokens, in USD. */
    private Double inputCostPerMtok;

    /** Price of a million output tokens, in USD. */
    private Double outputCostPerMtok;

    /** Whether it continues a trailing assistant message; unset, the provider's default. */
    private Boolean assistantPrefill;

    /** Hedging for its group: a duration such as 2s, or a percentile of recent latency such as p95. */
    private String hedgeAfter;

    /** Provider-specific settings, such as Azure's api_version; they may also be written beside the others. */
    private Map<String, String> options = new LinkedHashMap<>();

    /** Whether this model came from a provider/model string, and so falls back to the next such model. */
    private boolean shorthand;

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public String getProvider() {
      return provider;
    }

    public void setProvider(String provider) {
      this.provider = provider;
    }

    public String getModel() {
      return model;
    }

    public void setModel(String model) {
      this.model = model;
    }

    public String getApiBase() {
      return apiBase;
    }

    public void setApiBase(String apiBase) {
      this.apiBase = apiBase;
    }

    public String getApiKey() {
      return apiKey;
    }

    public void setApiKey(String apiKey) {
      this.apiKey = apiKey;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public Duration getFirstTokenTimeout() {
      return firstTokenTimeout;
    }

    public void setFirstTokenTimeout(Duration firstTokenTimeout) {
      this.firstTokenTimeout = firstTokenTimeout;
    }

    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    public Integer getRetries() {
      return retries;
    }

    public void setRetries(Integer retries) {
      this.retries = retries;
    }

    public Integer getWeight() {
      return weight;
    }

    public void setWeight(Integer weight) {
      this.weight = weight;
    }

    public Integer getRpm() {
      return rpm;
    }

    public void setRpm(Integer rpm) {
      this.rpm = rpm;
    }

    public Integer getTpm() {
      return tpm;
    }

    public void setTpm(Integer tpm) {
      this.tpm = tpm;
    }

    public Integer getMaxInputTokens() {
      return maxInputTokens;
    }

    public void setMaxInputTokens(Integer maxInputTokens) {
      this.maxInputTokens = maxInputTokens;
    }

    public Double getInputCostPerMtok() {
      return inputCostPerMtok;
    }

    public void setInputCostPerMtok(Double inputCostPerMtok) {
      this.inputCostPerMtok = inputCostPerMtok;
    }

    public Double getOutputCostPerMtok() {
      return outputCostPerMtok;
    }

    public void setOutputCostPerMtok(Double outputCostPerMtok) {
      this.outputCostPerMtok = outputCostPerMtok;
    }

    public Boolean getAssistantPrefill() {
      return assistantPrefill;
    }

    public void setAssistantPrefill(Boolean assistantPrefill) {
      this.assistantPrefill = assistantPrefill;
    }

    public String getHedgeAfter() {
      return hedgeAfter;
    }

    public void setHedgeAfter(String hedgeAfter) {
      this.hedgeAfter = hedgeAfter;
    }

    public Map<String, String> getOptions() {
      return options;
    }

    public void setOptions(Map<String, String> options) {
      this.options = options;
    }

    boolean shorthand() {
      return shorthand;
    }

    /** A model from a {@code provider/model} string, served under that string. */
    static Model of(String providerSlashModel) {
      String spec = providerSlashModel.strip();
      int slash = spec.indexOf('/');
      if (slash <= 0 || slash == spec.length() - 1) {
        throw new IllegalArgumentException("'" + spec + "' is not a provider/model string: write it as"
            + " provider/model, for example openai/gpt-4o, or as a mapping with name, provider and model");
      }
      Model m = new Model();
      m.name = spec;
      m.provider = spec.substring(0, slash);
      m.model = spec.substring(slash + 1);
      m.shorthand = true;
      return m;
    }
  }

  /** The YAML file's {@code router} section. */
  public static class Router {

    /** Extra attempts on the same deployment for retryable errors. */
    private Integer retries;

    /** The whole request's deadline, every retry and fallback included. */
    private Duration timeout;

    /** How a deployment is picked within a group: weighted, least-busy, latency or cost. */
    private String strategy;

    /** Public model name to the ordered public names to try when it fails. Write names with / or . as [openai/gpt-4o]. */
    private Map<String, List<String>> fallbacks = new LinkedHashMap<>();

    /** The fallbacks of every model without its own entry. */
    private List<String> defaultFallbacks = new ArrayList<>();

    /** Used instead of fallbacks when the prompt does not fit a model's context window. */
    private Map<String, List<String>> contextWindowFallbacks = new LinkedHashMap<>();

    /** Used when a model refuses on content policy; without an entry, the refusal reaches the caller. */
    private Map<String, List<String>> contentPolicyFallbacks = new LinkedHashMap<>();

    /** Each deployment's circuit breaker. */
    private Cooldown cooldown = new Cooldown();

    /** A 429 whose Retry-After is at most this is waited out on the same deployment when the deadline allows. */
    private Duration maxRetryAfterWait;

    public Duration getMaxRetryAfterWait() {
      return maxRetryAfterWait;
    }

    public void setMaxRetryAfterWait(Duration maxRetryAfterWait) {
      this.maxRetryAfterWait = maxRetryAfterWait;
    }

    public Integer getRetries() {
      return retries;
    }

    public void setRetries(Integer retries) {
      this.retries = retries;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }

    public String getStrategy() {
      return strategy;
    }

    public void setStrategy(String strategy) {
      this.strategy = strategy;
    }

    public Map<String, List<String>> getFallbacks() {
      return fallbacks;
    }

    public void setFallbacks(Map<String, List<String>> fallbacks) {
      this.fallbacks = fallbacks;
    }

    public List<String> getDefaultFallbacks() {
      return defaultFallbacks;
    }

    public void setDefaultFallbacks(List<String> defaultFallbacks) {
      this.defaultFallbacks = defaultFallbacks;
    }

    public Map<String, List<String>> getContextWindowFallbacks() {
      return contextWindowFallbacks;
    }

    public void setContextWindowFallbacks(Map<String, List<String>> contextWindowFallbacks) {
      this.contextWindowFallbacks = contextWindowFallbacks;
    }

    public Map<String, List<String>> getContentPolicyFallbacks() {
      return contentPolicyFallbacks;
    }

    public void setContentPolicyFallbacks(Map<String, List<String>> contentPolicyFallbacks) {
      this.contentPolicyFallbacks = contentPolicyFallbacks;
    }

    public Cooldown getCooldown() {
      return cooldown;
    }

    public void setCooldown(Cooldown cooldown) {
      this.cooldown = cooldown;
    }
  }

  /** A deployment's circuit breaker: failures within window open it for duration, then one probe decides. */
  public static class Cooldown {

    /** Failures within the window that open the circuit. */
    private Integer failures;

    /** The window the failures are counted in. */
    private Duration window;

    /** How long an open circuit stays open before one probe request is let through. */
    private Duration duration;

    public Integer getFailures() {
      return failures;
    }

    public void setFailures(Integer failures) {
      this.failures = failures;
    }

    public Duration getWindow() {
      return window;
    }

    public void setWindow(Duration window) {
      this.window = window;
    }

    public Duration getDuration() {
      return duration;
    }

    public void setDuration(Duration duration) {
      this.duration = duration;
    }
  }
}
