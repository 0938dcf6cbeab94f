package dev.baton;

import dev.baton.cache.CacheContext;
import dev.baton.cache.CacheKey;
import dev.baton.cache.CacheStore;
import dev.baton.cache.CacheStores;
import dev.baton.cache.ResponseCache;
import dev.baton.catalogue.Catalogue;
import dev.baton.catalogue.Pricing;
import dev.baton.config.BatonConfig;
import dev.baton.config.CacheConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.ConfigValidator;
import dev.baton.config.CooldownConfig;
import dev.baton.config.DatabaseConfig;
import dev.baton.config.Environment;
import dev.baton.config.LoggingConfig;
import dev.baton.config.ModelConfig;
import dev.baton.config.RedisConfig;
import dev.baton.config.RouterConfig;
import dev.baton.config.ServerConfig;
import dev.baton.provider.MessagesBody;
import dev.baton.provider.MessagesNative;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.Providers;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.Provider;
import dev.baton.router.Routed;
import dev.baton.router.RoutedStream;
import dev.baton.router.Router;
import dev.baton.router.TokenEstimate;
import dev.baton.router.Tracing;
import dev.baton.transport.HttpTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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

  /**
   * The user turn that asks a model without prefill support to continue a broken-off answer. It asks
   * the reply to begin with the answer's last words, so that where the reply joins can be checked.
   */
  static String continuePrompt(String anchor) {
    return "Your previous answer was cut off. Continue it from exactly where it stopped: begin your reply with"
        + " its last words, exactly as written, and go on from there without repeating anything else and without"
        + " any preamble. Its last words were:\n\n" + anchor;
  }

  private static final Logger log = LoggerFactory.getLogger(Baton.class);

  private final BatonConfig config;
  private final HttpTransport http;
  private final Router router;
  private final Tracing tracing;
  private final List<BatonListener> addedListeners = new CopyOnWriteArrayList<>();
  /** The response cache; null when there is none. */
  private final @Nullable ResponseCache cache;
  /** The semantic cache's embedding model when it is a provider/model string of its own, else null. */
  private final @Nullable Baton embedder;

  private Baton(BatonConfig config, Environment environment, List<BatonListener> listeners, Tracing tracing,
      @Nullable CacheStore cacheStore, Clock cacheClock) {
    this.config = config;
    this.tracing = tracing;
    this.http = new HttpTransport();
    List<BatonListener> all = new ArrayList<>(listeners);
    all.add(this::deliverToAdded);
    Baton ownEmbedder = null;
    try {
      this.router = new Router(config, new ProviderContext(environment, http), all);
      CacheConfig cacheConfig = config.cache();
      if (cacheConfig == null) {
        this.embedder = null;
        this.cache = null;
      } else {
        ResponseCache.Embedder embed = null;
        if (cacheConfig.semantic() != null) {
          String name = cacheConfig.semantic().embeddingModel();
          if (router.models().contains(name)) {
            embed = text -> embedUncached(EmbeddingRequest.of(name, List.of(text))).vector();
          } else {
            Baton own = Baton.builder().models(name).environment(environment).catalogue(config.catalogue()).build();
            ownEmbedder = own;
            embed = text -> own.embed(text).vector();
          }
        }
        CacheStore store = cacheStore != null ? cacheStore : CacheStores.create(cacheConfig, config, cacheClock);
        this.embedder = ownEmbedder;
        this.cache = new ResponseCache(cacheConfig, store, cacheClock, embed);
      }
    } catch (RuntimeException e) {
      if (ownEmbedder != null) {
        ownEmbedder.close();
      }
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
    return chat(request, CacheContext.DEFAULT);
  }

  /**
   * Answers a chat request, taking part in the response cache as {@code context} says: its scope, its
   * {@code Cache-Control} directives, who hears how the lookup went. Without a cache, the same as
   * {@link #chat(ChatRequest)}.
   */
  public ChatResponse chat(ChatRequest request, CacheContext context) {
    String model = modelOf(request.model());
    ResponseCache.Lookup lookup = lookup(model, () -> CacheKey.chat(request, model), context);
    ChatResponse hit = lookup == null ? null : lookup.chat();
    if (hit != null) {
      return hit;
    }
    ChatResponse answer = tracing.traced("chat", request, model, trace -> {
      Routed<ChatResponse> routed = router.call(request.model(), request.fallbacks(), TokenEstimate.of(request),
          trace, (p, call) -> {
            MessagesBody.refuseUntranslatable(p, request, call);
            return p.chat(request, call);
          });
      return routed.value().routed(routed.model(), routed.attempts());
    });
    return lookup == null ? answer : lookup.store(answer);
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
    return stream(request, CacheContext.DEFAULT);
  }

  /**
   * Streams a chat answer, taking part in the response cache as {@code context} says: a hit is played as a
   * stream at once; a miss is stored only once it completes.
   */
  public ChatStream stream(ChatRequest request, CacheContext context) {
    String model = modelOf(request.model());
    ResponseCache.Lookup lookup = lookup(model, () -> CacheKey.chat(request, model), context);
    ChatStream hit = lookup == null ? null : lookup.replay(request.includeUsage());
    if (hit != null) {
      return hit;
    }
    ChatStream stream = tracing.tracedStream("chat", request, model, trace -> router.stream(request.model(),
        request.fallbacks(), TokenEstimate.of(request), request.includeUsage(), trace,
        (provider, call, continuation) -> {
          MessagesBody.refuseUntranslatable(provider, request, call);
          return provider.streamChat(continuation == null ? request : continuation(request, continuation), call);
        }));
    return lookup == null ? stream : lookup.store(stream, false);
  }

  /**
   * Answers a request with attempts of the caller's own making: for a gateway front door that passes its
   * protocol through to the deployments that speak it (such as {@link
   * dev.baton.provider.Provider#responsesApi()}) and translates it for the others. The request still gets
   * every retry, fallback, circuit breaker and deadline.
   *
   * @param model the public model name to route to; null means the default model
   * @param fallbacks this request's own fallbacks, or null for the configured ones
   * @param promptTokens the prompt's size in tokens, estimated, for limits and the pre-call context check
   * @param attempt one attempt at one deployment's provider
   */
  public ChatResponse chatWith(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      Router.Operation<ChatResponse> attempt) {
    return chatWith(model, fallbacks, promptTokens, null, CacheContext.DEFAULT, attempt);
  }

  /**
   * {@link #chatWith(String, List, long, Router.Operation)}, taking part in the response cache.
   *
   * @param key the request's cache key, such as {@link CacheKey#responses}; null: the request is not cached
   */
  public ChatResponse chatWith(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      java.util.function.@Nullable Supplier<CacheKey> key, CacheContext context, Router.Operation<ChatResponse> attempt) {
    String name = modelOf(model);
    ResponseCache.Lookup lookup = key == null ? null : lookup(name, key, context);
    ChatResponse hit = lookup == null ? null : lookup.chat();
    if (hit != null) {
      return hit;
    }
    ChatResponse answer = tracing.traced("chat", attempt, name, trace -> {
      Routed<ChatResponse> routed = router.call(model, fallbacks, promptTokens, trace, attempt);
      return routed.value().routed(routed.model(), routed.attempts());
    });
    return lookup == null ? answer : lookup.store(answer);
  }

  /**
   * Streams an answer with attempts of the caller's own making, as {@link #chatWith} answers whole: returns
   * once a model has started answering, and a stream that breaks off is continued through {@code opener} with
   * the text already sent, as every stream is.
   */
  public ChatStream streamWith(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      RoutedStream.Opener opener) {
    return streamWith(model, fallbacks, promptTokens, null, CacheContext.DEFAULT, opener);
  }

  /**
   * {@link #streamWith(String, List, long, RoutedStream.Opener)}, taking part in the response cache.
   *
   * @param key the request's cache key, such as {@link CacheKey#responses}; null: the request is not cached
   */
  public ChatStream streamWith(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      java.util.function.@Nullable Supplier<CacheKey> key, CacheContext context, RoutedStream.Opener opener) {
    String name = modelOf(model);
    ResponseCache.Lookup lookup = key == null ? null : lookup(name, key, context);
    ChatStream hit = lookup == null ? null : lookup.replay(false);
    if (hit != null) {
      return hit;
    }
    ChatStream stream = tracing.tracedStream("chat", opener, name,
        trace -> router.stream(model, fallbacks, promptTokens, false, trace, opener));
    return lookup == null ? stream : lookup.store(stream, false);
  }

  /**
   * Counts a request's input tokens with the model that would answer it: a deployment that counts natively
   * (Anthropic's {@code count_tokens}, for a request read from a Messages body) is asked; any other gives
   * Baton's estimate ({@link TokenCount}) without a call. Retries and fallbacks apply as to any request;
   * the prompt's size keeps no deployment out, since counting it is the point.
   */
  public TokenCount countTokens(ChatRequest request) {
    Routed<TokenCount> routed = router.call(request.model(), request.fallbacks(), 0, (p, call) -> {
      if (p instanceof MessagesNative counter && request.source() instanceof MessagesBody body) {
        MessagesNative.Count count = counter.countTokens(body, call);
        if (count != null) {
          return new TokenCount(count.inputTokens(), false, count.body(), "", List.of());
        }
      }
      return new TokenCount(TokenEstimate.of(request), true, null, "", List.of());
    });
    return routed.value().routed(routed.model(), routed.attempts());
  }

  /** Completes a text prompt ({@code /v1/completions}). */
  public CompletionResponse complete(String prompt) {
    return complete(CompletionRequest.of(prompt));
  }

  public CompletionResponse complete(CompletionRequest request) {
    return complete(request, CacheContext.DEFAULT);
  }

  /** Completes a text prompt, taking part in the response cache as {@code context} says. */
  public CompletionResponse complete(CompletionRequest request, CacheContext context) {
    String model = modelOf(request.model());
    ResponseCache.Lookup lookup = lookup(model, () -> CacheKey.completion(request, model), context);
    CompletionResponse hit = lookup == null ? null : lookup.completion();
    if (hit != null) {
      return hit;
    }
    CompletionResponse answer = tracing.traced("text_completion", request, model, trace -> {
      Routed<CompletionResponse> routed = router.call(request.model(), request.fallbacks(),
          TokenEstimate.of(request), trace, (p, call) -> p.complete(request, call));
      return routed.value().routed(routed.model(), routed.attempts());
    });
    return lookup == null ? answer : lookup.store(answer);
  }

  /** Streams a text completion; chunks carry the completion text as their content. */
  public ChatStream streamCompletion(CompletionRequest request) {
    return streamCompletion(request, CacheContext.DEFAULT);
  }

  /** Streams a text completion, taking part in the response cache as {@code context} says. */
  public ChatStream streamCompletion(CompletionRequest request, CacheContext context) {
    String model = modelOf(request.model());
    ResponseCache.Lookup lookup = lookup(model, () -> CacheKey.completion(request, model), context);
    ChatStream hit = lookup == null ? null : lookup.replayCompletion(request.includeUsage());
    if (hit != null) {
      return hit;
    }
    ChatStream stream = tracing.tracedStream("text_completion", request, model, trace -> router.stream(
        request.model(), request.fallbacks(), TokenEstimate.of(request), request.includeUsage(), trace,
        new RoutedStream.Opener() {
          @Override
          public ChunkSource open(Provider provider, Call call, RoutedStream.@Nullable Continuation continuation) {
            return provider.streamCompletion(continuation == null
                ? request
                : request.toBuilder().replacePrompt(request.prompt() + continuation.sentSoFar()).build(), call);
          }

          @Override
          public boolean extendsText() {
            return true;
          }
        }));
    return lookup == null ? stream : lookup.store(stream, true);
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
    return embed(request, CacheContext.DEFAULT);
  }

  /** Embeds texts, taking part in the response cache as {@code context} says. */
  public EmbeddingResponse embed(EmbeddingRequest request, CacheContext context) {
    String model = modelOf(request.model());
    ResponseCache.Lookup lookup = lookup(model, () -> CacheKey.embedding(request, model), context);
    EmbeddingResponse hit = lookup == null ? null : lookup.embedding();
    if (hit != null) {
      return hit;
    }
    EmbeddingResponse answer = embedUncached(request);
    return lookup == null ? answer : lookup.store(answer);
  }

  private EmbeddingResponse embedUncached(EmbeddingRequest request) {
    return tracing.traced("embeddings", request, modelOf(request.model()), trace -> {
      Routed<EmbeddingResponse> routed = router.call(request.model(), request.fallbacks(),
          TokenEstimate.of(request), trace, (p, call) -> p.embed(request, call));
      return routed.value().routed(routed.model(), routed.attempts());
    });
  }

  private ResponseCache.@Nullable Lookup lookup(String model, java.util.function.Supplier<CacheKey> key,
      CacheContext context) {
    return cache == null ? null : cache.lookup(model, key, context);
  }

  /** The response cache's configuration, or null when this Baton has no cache. */
  public @Nullable CacheConfig cacheConfig() {
    return cache == null ? null : cache.config();
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

  /**
   * What a deployment's answers cost, from its configuration or else the model catalogue: the prices an
   * answer's {@link Usage} is multiplied by. Empty when neither gives a price.
   *
   * @param deployment a deployment's id, as {@link Attempt#deployment()} names it
   */
  public java.util.Optional<Pricing> pricing(String deployment) {
    return router.pricing(deployment);
  }

  /** Closes every upstream connection. */
  @Override
  public void close() {
    router.close();
    http.close();
    if (cache != null) {
      cache.close();
    }
    if (embedder != null) {
      embedder.close();
    }
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

  /**
   * The request that continues a broken-off answer: the conversation, then the answer so far as an
   * assistant turn — to be continued as it is (a prefill), or followed by a user turn asking for the rest.
   * Front doors that open their own attempts ({@link #streamWith}) continue a broken stream with it.
   */
  public static ChatRequest continuation(ChatRequest request, RoutedStream.Continuation continuation) {
    if (continuation.prefill()) {
      return request.toBuilder().message(Message.assistant(continuation.prefillText())).build();
    }
    return request.toBuilder()
        .message(Message.assistant(continuation.sentSoFar()))
        .user(continuePrompt(continuation.anchor()))
        .build();
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
    private Duration maxRetryAfterWait = RouterConfig.DEFAULT_MAX_RETRY_AFTER_WAIT;
    private String strategy = "weighted";
    private CooldownConfig cooldown = CooldownConfig.DEFAULT;
    private ServerConfig server = ServerConfig.defaults();
    private dev.baton.config.@org.jspecify.annotations.Nullable TelemetryConfig telemetry;
    private @Nullable RedisConfig redis;
    private @Nullable CacheConfig cache;
    private @Nullable CacheStore cacheStore;
    private Clock cacheClock = Clock.systemUTC();
    private final List<BatonListener> listeners = new ArrayList<>();
    private Environment environment = Environment.system();
    private Catalogue catalogue;
    // An io.opentelemetry.api.OpenTelemetry, kept as an Object so that no OpenTelemetry class is loaded,
    // or needed on the classpath, unless one is given.
    private @org.jspecify.annotations.Nullable Object openTelemetry;

    private Builder() {}

    /**
     * The models to try, in order, as {@code provider/model} strings such as {@code openai/gpt-4o}. Each
     * is served under its string; the first is the default, and each falls back to the next. Keys and
     * endpoints come from the providers' usual environment variables ({@code OPENAI_API_KEY},
     * {@code OPENAI_BASE_URL}, {@code ANTHROPIC_API_KEY}, {@code OLLAMA_HOST}, ...). A model file is
     * written {@code provider:path}, such as {@code gguf:./models/qwen2.5-0.5b.gguf} (with
     * {@code dev.baton:baton-local} on the classpath).
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

    /**
     * Serves {@code provider/model} under a public name, such as {@code model("smart", "openai/gpt-4o")},
     * or a model file written {@code provider:path}, such as {@code model("local", "gguf:./models/m.gguf")}.
     */
    public Builder model(String name, String providerSlashModel) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(providerSlashModel, "providerSlashModel");
      int slash = providerSlashModel.indexOf('/');
      int colon = providerSlashModel.indexOf(':');
      // "gguf:./m.gguf" names a file; a colon after the slash is part of a model id ("ollama/llama3.2:1b").
      int cut = colon > 0 && (slash < 0 || colon < slash) ? colon : slash;
      if (cut <= 0 || cut == providerSlashModel.length() - 1) {
        throw new ConfigException("'" + providerSlashModel + "' is not a provider/model string: write it as"
            + " provider/model, for example openai/gpt-4o, or provider:path for a model file, for example"
            + " gguf:./models/m.gguf");
      }
      String provider = providerSlashModel.substring(0, cut);
      if (Providers.get(provider) == null) {
        throw new ConfigException(Providers.unknown(provider, providerSlashModel));
      }
      return model(ModelConfig.builder(name, provider, providerSlashModel.substring(cut + 1))
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

    /**
     * The longest {@code Retry-After} a rate-limited deployment is waited out for, and then retried,
     * rather than falling back at once — when the request's deadline leaves room (default 5s; zero
     * falls back at once whenever something else can answer).
     */
    public Builder maxRetryAfterWait(Duration maxRetryAfterWait) {
      Objects.requireNonNull(maxRetryAfterWait, "maxRetryAfterWait");
      if (maxRetryAfterWait.isNegative()) {
        throw new ConfigException("maxRetryAfterWait must not be negative, was " + maxRetryAfterWait);
      }
      this.maxRetryAfterWait = maxRetryAfterWait;
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

    /**
     * Answers repeated requests from a response cache (contract section 9) instead of calling a model again:
     * a local one in this process, bounded by entries and bytes — with {@code dev.baton:baton-cache} on the
     * classpath — or, with {@code type("redis")}, one every instance shares ({@code dev.baton:baton-redis}).
     * Hits make no upstream call and cost nothing; see {@link ChatResponse#cache()}.
     *
     * <pre>{@code
     * Baton baton = Baton.builder()
     *     .models("openai/gpt-4o-mini")
     *     .cache(CacheConfig.builder().ttl(Duration.ofHours(1)).semantic("onnx/all-minilm-l6-v2", 0.92).build())
     *     .build();
     * }</pre>
     */
    public Builder cache(CacheConfig cache) {
      this.cache = Objects.requireNonNull(cache, "cache");
      this.cacheStore = null;
      return this;
    }

    /**
     * A response cache whose entries live in a store of the caller's own (a shared one, say). The Baton closes
     * the store when it closes; a store shared with other owners ignores {@code close()}.
     */
    public Builder cache(CacheConfig cache, CacheStore store) {
      this.cache = Objects.requireNonNull(cache, "cache");
      this.cacheStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The clock the response cache stamps and ages its entries by (default: the system's); for tests. */
    public Builder cacheClock(Clock clock) {
      this.cacheClock = Objects.requireNonNull(clock, "clock");
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

    /**
     * The model catalogue deployments take their context window, prices and prefill support from when they
     * set none (default: the built-in one). {@link Catalogue#empty()} turns it off.
     */
    public Builder catalogue(Catalogue catalogue) {
      this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
      return this;
    }

    /** The built-in catalogue with a user's catalogue file merged over it, as {@code catalogue: FILE} does. */
    public Builder catalogue(Path file) {
      return catalogue(Catalogue.builtIn().overlaidWith(Catalogue.load(file)));
    }

    /** Starts from a whole configuration, such as one read by {@link ConfigLoader}. */
    public Builder config(BatonConfig config) {
      models.addAll(config.models());
      catalogue = config.catalogue();
      RouterConfig r = config.router();
      retries = r.retries();
      timeout = r.timeout();
      attemptTimeout = r.attemptTimeout();
      idleTimeout = r.idleTimeout();
      maxRetryAfterWait = r.maxRetryAfterWait();
      strategy = r.strategy();
      cooldown = r.cooldown();
      fallbacks.putAll(r.fallbacks());
      defaultFallbacks = r.defaultFallbacks();
      contextWindowFallbacks.putAll(r.contextWindowFallbacks());
      contentPolicyFallbacks.putAll(r.contentPolicyFallbacks());
      server = config.server();
      telemetry = config.telemetry();
      redis = config.redis();
      if (config.cache() != null) {
        cache = config.cache();
        cacheStore = null;
      }
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
          cooldown, maxRetryAfterWait), DatabaseConfig.embeddedIn(Path.of("")), LoggingConfig.defaults(),
          catalogue == null ? Catalogue.builtIn() : catalogue, telemetry, redis, cache);
      List<String> problems = ConfigValidator.problems(config).stream()
          .map(p -> p.path() + ": " + p.message())
          .toList();
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      Tracing tracing = openTelemetry == null ? Tracing.NONE : dev.baton.otel.OtelTracing.of(openTelemetry);
      return new Baton(config, environment, listeners, tracing, cacheStore, cacheClock);
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
