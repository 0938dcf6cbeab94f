package dev.baton;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.ConfigValidator;
import dev.baton.config.CooldownConfig;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.config.ServerConfig;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.Providers;
import dev.baton.router.Routed;
import dev.baton.router.Router;
import dev.baton.router.TokenEstimate;
import dev.baton.router.Tracing;
import dev.baton.transport.HttpTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An LLM client that answers every request with the first model that can. Give it an ordered list of
 * models; when one is rate limited, down, slow, cut off mid-stream, too small for the prompt or refuses
 * on content policy, the next one answers.
 *
 * <pre>{@code
 * Baton baton = Baton.builder()
 *     .models("openai/gpt-4o", "anthropic/claude-3-5-haiku-latest", "ollama/llama3.2")
 *     .build();
 * ChatResponse r = baton.chat("Hello, fallback models!");
 * System.out.println(r.text() + " (from " + r.model() + ")");
 * }</pre>
 *
 * <p>Or read the same YAML the gateway reads with {@link #fromConfig(Path)}. A {@code Baton} is
 * thread-safe and meant to be shared; {@link #close()} releases its connections.
 */
public final class Baton implements AutoCloseable {

  /** The user turn that asks a model without prefill support to continue a broken-off answer. */
  static final String CONTINUE_PROMPT = "Your previous answer was cut off. Continue it from exactly where it"
      + " stopped, without repeating anything already written and without any preamble.";

  private static final Logger log = LoggerFactory.getLogger(Baton.class);

  private final BatonConfig config;
  private final HttpTransport http;
  private final Router router;
  private final Tracing tracing;
  private final List<BatonListener> addedListeners = new CopyOnWriteArrayList<>();

  private Baton(BatonConfig config, Environment environment, List<BatonListener> listeners, Tracing tracing) {
    this.config = config;
    this.tracing = tracing;
    this.http = new HttpTransport();
    List<BatonListener> all = new ArrayList<>(listeners);
    all.add(this::deliverToAdded);
    try {
      this.router = new Router(config, new ProviderContext(environment, http), all);
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
  }

  /** A builder, starting empty. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A Baton configured by a YAML file — the same file {@code baton serve} reads. {@code ${VAR}} values
   * come from the process environment.
   *
   * @throws ConfigException naming each problem and its line
   */
  public static Baton fromConfig(Path file) {
    return builder().config(ConfigLoader.load(file)).build();
  }

  /** Answers one user message, from the default model or its fallbacks. */
  public ChatResponse chat(String userMessage) {
    return chat(ChatRequest.of(userMessage));
  }

  /**
   * Answers a chat request.
   *
   * @throws BatonException when no model could answer; its subtype says why
   */
  public ChatResponse chat(ChatRequest request) {
    return tracing.traced("chat", request, modelOf(request.model()), trace -> {
      Routed<ChatResponse> routed = router.call(request.model(), request.fallbacks(), TokenEstimate.of(request),
          trace, (p, call) -> p.chat(request, call));
      return routed.value().routed(routed.model(), routed.attempts());
    });
  }

  /** {@link #chat(String)} on a virtual thread; cancelling the future cancels the upstream call. */
  public CompletableFuture<ChatResponse> chatAsync(String userMessage) {
    return chatAsync(ChatRequest.of(userMessage));
  }

  /** {@link #chat(ChatRequest)} on a virtual thread; cancelling the future cancels the upstream call. */
  public CompletableFuture<ChatResponse> chatAsync(ChatRequest request) {
    return async(() -> chat(request));
  }

  /** Streams the answer to one user message. */
  public ChatStream stream(String userMessage) {
    return stream(ChatRequest.of(userMessage));
  }

  /**
   * Streams a chat answer. Returns once a model has started answering; close the stream to stop early.
   *
   * @throws BatonException when no model could start an answer
   */
  public ChatStream stream(ChatRequest request) {
    return tracing.tracedStream("chat", request, modelOf(request.model()), trace -> router.stream(request.model(),
        request.fallbacks(), TokenEstimate.of(request), request.includeUsage(), trace,
        (provider, call, sentSoFar, prefill) -> provider.streamChat(
            sentSoFar.isEmpty() ? request : continuation(request, sentSoFar, prefill), call)));
  }

  /** Completes a text prompt ({@code /v1/completions}). */
  public CompletionResponse complete(String prompt) {
    return complete(CompletionRequest.of(prompt));
  }

  public CompletionResponse complete(CompletionRequest request) {
    return tracing.traced("text_completion", request, modelOf(request.model()), trace -> {
      Routed<CompletionResponse> routed = router.call(request.model(), request.fallbacks(),
          TokenEstimate.of(request), trace, (p, call) -> p.complete(request, call));
      return routed.value().routed(routed.model(), routed.attempts());
    });
  }

  /** Streams a text completion; chunks carry the completion text as their content. */
  public ChatStream streamCompletion(CompletionRequest request) {
    return tracing.tracedStream("text_completion", request, modelOf(request.model()), trace -> router.stream(
        request.model(), request.fallbacks(), TokenEstimate.of(request), request.includeUsage(), trace,
        (provider, call, sentSoFar, prefill) -> provider.streamCompletion(sentSoFar.isEmpty()
            ? request
            : request.toBuilder().replacePrompt(request.prompt() + sentSoFar).build(), call)));
  }

  /** The embedding of one text. */
  public EmbeddingResponse embed(String text) {
    return embed(EmbeddingRequest.of(text));
  }

  /** The embeddings of several texts, in order. */
  public EmbeddingResponse embed(List<String> texts) {
    return embed(EmbeddingRequest.of(null, texts));
  }

  public EmbeddingResponse embed(EmbeddingRequest request) {
    return tracing.traced("embeddings", request, modelOf(request.model()), trace -> {
      Routed<EmbeddingResponse> routed = router.call(request.model(), request.fallbacks(),
          TokenEstimate.of(request), trace, (p, call) -> p.embed(request, call));
      return routed.value().routed(routed.model(), routed.attempts());
    });
  }

  /** The public model a request goes to: the one it names, else the default. */
  private String modelOf(@org.jspecify.annotations.Nullable String model) {
    return model == null ? router.defaultModel() : model;
  }

  /** Every public model name, in the order configured; the first is the default. */
  public List<String> models() {
    return router.models();
  }

  /**
   * Every deployment as it stands now — its circuit breaker's state, whether it takes requests, how many
   * it is answering — in the order configured.
   */
  public List<DeploymentStatus> deployments() {
    return router.deployments();
  }

  /**
   * Whether a request for {@code model} could be answered now: one of its deployments takes requests,
   * or one of its fallbacks' does (their own fallbacks included). A model whose circuit is open but
   * whose fallback is up can answer.
   *
   * @throws UnknownModelException when the model is not configured
   */
  public boolean canAnswer(String model) {
    return router.canAnswer(model);
  }

  /**
   * Adds a listener to this running Baton: it receives every event from now on, beside the builder's
   * listeners. For integrations that meet a Baton after it was built, such as a metrics binder.
   */
  public void addListener(BatonListener listener) {
    addedListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** The configuration this Baton runs. */
  public BatonConfig config() {
    return config;
  }

  /** Closes every upstream connection. */
  @Override
  public void close() {
    router.close();
    http.close();
  }

  private void deliverToAdded(BatonEvent event) {
    for (BatonListener listener : addedListeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("a BatonListener threw; ignored", e);
      }
    }
  }

  static ChatRequest continuation(ChatRequest request, String sentSoFar, boolean prefill) {
    ChatRequest.Builder b = request.toBuilder().message(Message.assistant(sentSoFar));
    if (!prefill) {
      b.user(CONTINUE_PROMPT);
    }
    return b.build();
  }

  private <T> CompletableFuture<T> async(Supplier<T> work) {
    CompletableFuture<T> future = new CompletableFuture<>();
    Thread thread = Thread.ofVirtual().name("baton-async").unstarted(tracing.inCallersContext(() -> {
      try {
        future.complete(work.get());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    }));
    future.whenComplete((value, failure) -> {
      if (future.isCancelled()) {
        thread.interrupt();
      }
    });
    thread.start();
    return future;
  }

  /**
   * Builds a {@link Baton}. Each setting is checked when it is given, and the whole at {@link #build()}:
   * a bad value is a {@link ConfigException} that names it.
   */
  public static final class Builder {
    private final List<ModelConfig> models = new ArrayList<>();
    private final Map<String, List<String>> fallbacks = new LinkedHashMap<>();
    private final Map<String, List<String>> contextWindowFallbacks = new LinkedHashMap<>();
    private final Map<String, List<String>> contentPolicyFallbacks = new LinkedHashMap<>();
    private List<String> defaultFallbacks = List.of();
    private int retries = RouterConfig.DEFAULT_RETRIES;
    private Duration timeout = RouterConfig.DEFAULT_TIMEOUT;
    private Duration attemptTimeout = RouterConfig.DEFAULT_ATTEMPT_TIMEOUT;
    private Duration idleTimeout = RouterConfig.DEFAULT_IDLE_TIMEOUT;
    private String strategy = "weighted";
    private CooldownConfig cooldown = CooldownConfig.DEFAULT;
    private ServerConfig server = ServerConfig.defaults();
    private dev.baton.config.@org.jspecify.annotations.Nullable TelemetryConfig telemetry;
    private final List<BatonListener> listeners = new ArrayList<>();
    private Environment environment = Environment.system();
    // An io.opentelemetry.api.OpenTelemetry, kept as an Object so that no OpenTelemetry class is loaded,
    // or needed on the classpath, unless one is given.
    private @org.jspecify.annotations.Nullable Object openTelemetry;

    private Builder() {}

    /**
     * The models to try, in order, as {@code provider/model} strings such as {@code openai/gpt-4o}. Each
     * is served under its string; the first is the default, and each falls back to the next. Keys and
     * endpoints come from the providers' usual environment variables ({@code OPENAI_API_KEY},
     * {@code OPENAI_BASE_URL}, {@code ANTHROPIC_API_KEY}, {@code OLLAMA_HOST}, ...).
     */
    public Builder models(String... providerSlashModel) {
      if (providerSlashModel.length == 0) {
        throw new ConfigException("models(...) needs at least one provider/model string");
      }
      String previous = null;
      for (String spec : providerSlashModel) {
        model(spec, spec);
        if (previous != null) {
          fallbacks.computeIfAbsent(previous, k -> new ArrayList<>()).add(spec);
        }
        previous = spec;
      }
      return this;
    }

    /** Serves {@code provider/model} under a public name, such as {@code model("smart", "openai/gpt-4o")}. */
    public Builder model(String name, String providerSlashModel) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(providerSlashModel, "providerSlashModel");
      int slash = providerSlashModel.indexOf('/');
      if (slash <= 0 || slash == providerSlashModel.length() - 1) {
        throw new ConfigException("'" + providerSlashModel + "' is not a provider/model string: write it as"
            + " provider/model, for example openai/gpt-4o");
      }
      String provider = providerSlashModel.substring(0, slash);
      if (Providers.get(provider) == null) {
        throw new ConfigException("unknown provider '" + provider + "' in '" + providerSlashModel
            + "'; known providers: " + String.join(", ", Providers.names()));
      }
      return model(ModelConfig.builder(name, provider, providerSlashModel.substring(slash + 1))
          .origin("model '" + name + "'").build());
    }

    /** Adds a deployment; several with one name form a load-balanced group. */
    public Builder model(ModelConfig model) {
      models.add(Objects.requireNonNull(model, "model"));
      return this;
    }

    /** What {@code model} falls back to, in order, when it fails. */
    public Builder fallbacks(String model, String... fallbackModels) {
      fallbacks.put(model, List.of(fallbackModels));
      return this;
    }

    /** The fallbacks of every model without its own. */
    public Builder defaultFallbacks(String... fallbackModels) {
      this.defaultFallbacks = List.of(fallbackModels);
      return this;
    }

    /** Where {@code model} goes when a prompt does not fit its context window. */
    public Builder contextWindowFallbacks(String model, String... fallbackModels) {
      contextWindowFallbacks.put(model, List.of(fallbackModels));
      return this;
    }

    /** Where {@code model} goes when it refuses on content policy. */
    public Builder contentPolicyFallbacks(String model, String... fallbackModels) {
      contentPolicyFallbacks.put(model, List.of(fallbackModels));
      return this;
    }

    /** Extra attempts on the same deployment for retryable errors (default 2). */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new ConfigException("retries must be >= 0, was " + retries);
      }
      this.retries = retries;
      return this;
    }

    /** The whole request's deadline, every retry and fallback included (default 120s). */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** The per-attempt limit for deployments that set none (default 60s). */
    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = positive(attemptTimeout, "attemptTimeout");
      return this;
    }

    /** The longest silence within a stream, for deployments that set none (default 30s). */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /** How a deployment is picked within a group: weighted, least-busy, latency or cost. */
    public Builder strategy(String strategy) {
      if (!RouterConfig.STRATEGIES.contains(strategy)) {
        throw new ConfigException("unknown strategy '" + strategy + "'; expected one of "
            + String.join(", ", RouterConfig.STRATEGIES));
      }
      this.strategy = strategy;
      return this;
    }

    /** Each deployment's circuit breaker: failures within window open it for duration. */
    public Builder cooldown(int failures, Duration window, Duration duration) {
      if (failures < 1) {
        throw new ConfigException("cooldown failures must be >= 1, was " + failures);
      }
      this.cooldown = new CooldownConfig(failures, positive(window, "cooldown window"),
          positive(duration, "cooldown duration"));
      return this;
    }

    /** Receives every attempt, retry, fallback and circuit change. */
    public Builder listener(BatonListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Traces every request with this OpenTelemetry: a span per request and a child span per upstream
     * attempt, with the GenAI semantic conventions' attributes and the fallback trail, and the attempt's
     * {@code traceparent} sent upstream. The request span is a child of the current span
     * ({@code Context.current()}) when {@code chat}, {@code stream}, ... is called. Without this, nothing is
     * traced and OpenTelemetry need not be on the classpath.
     */
    public Builder openTelemetry(io.opentelemetry.api.OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** Where keys and endpoints are read from (default: the process environment). */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Fixed environment values for keys and endpoints, such as {@code OPENAI_BASE_URL}. */
    public Builder environment(Map<String, String> values) {
      return environment(Environment.of(values));
    }

    /** Starts from a whole configuration, such as one read by {@link ConfigLoader}. */
    public Builder config(BatonConfig config) {
      models.addAll(config.models());
      RouterConfig r = config.router();
      retries = r.retries();
      timeout = r.timeout();
      attemptTimeout = r.attemptTimeout();
      idleTimeout = r.idleTimeout();
      strategy = r.strategy();
      cooldown = r.cooldown();
      fallbacks.putAll(r.fallbacks());
      defaultFallbacks = r.defaultFallbacks();
      contextWindowFallbacks.putAll(r.contextWindowFallbacks());
      contentPolicyFallbacks.putAll(r.contentPolicyFallbacks());
      server = config.server();
      telemetry = config.telemetry();
      return this;
    }

    /**
     * Builds the Baton, creating every deployment's provider.
     *
     * @throws ConfigException naming every problem: no models, a fallback naming an unknown model, a
     *     provider without its key or endpoint, ...
     */
    public Baton build() {
      if (models.isEmpty()) {
        throw new ConfigException("no models: call models(\"provider/model\", ...) or model(...) first");
      }
      BatonConfig config = new BatonConfig(server, models, new RouterConfig(retries, timeout, attemptTimeout,
          idleTimeout, strategy, fallbacks, defaultFallbacks, contextWindowFallbacks, contentPolicyFallbacks,
          cooldown), telemetry);
      List<String> problems = ConfigValidator.problems(config).stream()
          .map(p -> p.path() + ": " + p.message())
          .toList();
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      Tracing tracing = openTelemetry == null ? Tracing.NONE : dev.baton.otel.OtelTracing.of(openTelemetry);
      return new Baton(config, environment, listeners, tracing);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isZero() || d.isNegative()) {
        throw new ConfigException(name + " must be longer than zero, was " + d);
      }
      return d;
    }
  }
}
