package dev.baton.router;

import dev.baton.BatonException;
import dev.baton.BatonListener;
import dev.baton.ChatStream;
import dev.baton.ConfigException;
import dev.baton.UnknownModelException;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.BatonEvent;
import dev.baton.catalogue.Catalogue;
import dev.baton.catalogue.Pricing;
import dev.baton.config.BatonConfig;
import dev.baton.config.HedgeAfter;
import dev.baton.config.ModelConfig;
import dev.baton.config.RouterConfig;
import dev.baton.provider.Call;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import dev.baton.provider.Providers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one router behind both front doors. It holds the deployments, grouped by public name, and runs
 * each request's {@link Route}: attempt, classify, retry or fall back, until an answer or the final
 * failure. What an attempt does is the caller's {@link Operation}; what to do after it is the route's.
 */
public final class Router implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Router.class);

  /** One attempt's work: call the provider within the call's time limits. */
  @FunctionalInterface
  public interface Operation<T> {
    T attempt(Provider provider, Call call);
  }

  private final RouterConfig config;
  private final Map<String, List<Deployment>> groups;
  private final String defaultModel;
  private final Strategy strategy;
  private final Events events;
  private final Map<String, HedgeAfter> hedging = new LinkedHashMap<>();
  private final Map<String, LatencySamples> latencies = new LinkedHashMap<>();

  /** Creates every deployment's provider; all problems are reported together in one {@link ConfigException}. */
  public Router(BatonConfig config, ProviderContext context, List<BatonListener> listeners) {
    this(config, context, listeners, SharedRouterState.NONE);
  }

  /**
   * A router whose deployments share their circuits and rpm/tpm windows with other instances through
   * {@code shared} (contract section 8).
   */
  public Router(BatonConfig config, ProviderContext context, List<BatonListener> listeners, SharedRouterState shared) {
    this.config = config.router();
    this.events = new Events(listeners);
    this.strategy = Strategy.named(config.router().strategy());
    Map<String, List<ModelConfig>> byName = new LinkedHashMap<>();
    for (ModelConfig model : config.models()) {
      byName.computeIfAbsent(model.name(), n -> new ArrayList<>()).add(model);
    }
    if (byName.isEmpty()) {
      throw new ConfigException("no models are configured: at least one is needed");
    }
    Map<String, List<Deployment>> built = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    byName.forEach((name, models) -> {
      List<Deployment> group = new ArrayList<>(models.size());
      for (int i = 0; i < models.size(); i++) {
        ModelConfig model = models.get(i);
        ProviderFactory factory = Providers.get(model.provider());
        if (factory == null) {
          problems.add(model.origin() + ": unknown provider '" + model.provider() + "'; known providers: "
              + String.join(", ", Providers.names()));
          continue;
        }
        if (model.hedgeAfter() != null && !hedging.containsKey(name)) {
          HedgeAfter hedge = HedgeAfter.parse(model.hedgeAfter());
          hedging.put(name, hedge);
          if (hedge.percentile() > 0) {
            latencies.put(name, new LatencySamples(hedge.percentile()));
          }
        }
        try {
          String id = models.size() == 1 ? name : name + "#" + (i + 1);
          Catalogue.Resolved resolved = config.catalogue().resolve(model);
          group.add(new Deployment(resolved.config(), id, factory.create(resolved.config(), context), config.router(),
              events::emit, resolved.pricing(), shared));
        } catch (ConfigException e) {
          problems.addAll(e.problems());
        }
      }
      built.put(name, List.copyOf(group));
    });
    this.groups = java.util.Collections.unmodifiableMap(built);
    if (!problems.isEmpty()) {
      close();
      throw new ConfigException(problems);
    }
    this.defaultModel = byName.keySet().iterator().next();
    if (shared != SharedRouterState.NONE) {
      listenTo(shared);
    }
  }

  /** Applies other instances' circuit transitions to the deployments they name. */
  private void listenTo(SharedRouterState shared) {
    Map<String, Deployment> byId = new java.util.HashMap<>();
    groups.values().forEach(group -> group.forEach(d -> byId.put(d.id(), d)));
    shared.listen(new SharedRouterState.CircuitListener() {
      @Override
      public void opened(String deployment, java.time.Instant until) {
        Deployment d = byId.get(deployment);
        if (d != null) {
          d.circuit().openedElsewhere(until, System.nanoTime());
        }
      }

      @Override
      public void closed(String deployment) {
        Deployment d = byId.get(deployment);
        if (d != null) {
          d.circuit().closedElsewhere();
        }
      }
    });
  }

  /** What a deployment's answers cost, from its configuration or the catalogue; empty when unpriced. */
  public java.util.Optional<Pricing> pricing(String deployment) {
    for (List<Deployment> group : groups.values()) {
      for (Deployment d : group) {
        if (d.id().equals(deployment)) {
          return java.util.Optional.ofNullable(d.pricing());
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Every public model name, in the order first configured. */
  public List<String> models() {
    return List.copyOf(groups.keySet());
  }

  /** Every deployment as it stands now, in the order configured. */
  public List<dev.baton.DeploymentStatus> deployments() {
    long now = System.nanoTime();
    List<dev.baton.DeploymentStatus> all = new ArrayList<>();
    for (List<Deployment> group : groups.values()) {
      for (Deployment d : group) {
        all.add(new dev.baton.DeploymentStatus(d.name(), d.id(), d.providerName(), d.upstreamModel(),
            d.circuit().state(), d.circuit().available(now), d.inFlight()));
      }
    }
    return all;
  }

  /**
   * Whether a request for {@code model} could be sent somewhere now: to one of its own deployments, or
   * along its fallbacks (its own, else the default ones, and theirs in turn) to another model's. Rate
   * limits ({@code rpm}, {@code tpm}) are passing states and are not counted against it.
   *
   * @throws UnknownModelException when the model is not configured
   */
  public boolean canAnswer(String model) {
    if (!groups.containsKey(model)) {
      throw new UnknownModelException(model, models());
    }
    long now = System.nanoTime();
    java.util.ArrayDeque<String> pending = new java.util.ArrayDeque<>(List.of(model));
    java.util.Set<String> seen = new java.util.HashSet<>(pending);
    while (!pending.isEmpty()) {
      String next = pending.poll();
      for (Deployment d : group(next)) {
        if (d.circuit().available(now)) {
          return true;
        }
      }
      for (String fallback : config.fallbacks().getOrDefault(next, config.defaultFallbacks())) {
        if (seen.add(fallback)) {
          pending.add(fallback);
        }
      }
    }
    return false;
  }

  /** The model a request without one goes to: the first configured. */
  public String defaultModel() {
    return defaultModel;
  }

  /** Runs a request to completion: an answer from the first model that can give one, or the final failure. */
  public <T> Routed<T> call(
      @Nullable String model, @Nullable List<String> fallbacks, long promptTokens, Operation<T> operation) {
    return call(model, fallbacks, promptTokens, RequestTrace.NONE, operation);
  }

  /** {@link #call(String, List, long, Operation)}, each attempt and event told to the request's trace. */
  public <T> Routed<T> call(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      RequestTrace trace, Operation<T> operation) {
    Route route = route(model, fallbacks, promptTokens, trace);
    Won<T> won = run(route, attempt -> operation.attempt(attempt.deployment().provider(), attempt.call()),
        value -> {}, route::failed);
    won.attempt().trace().answer(won.value());
    route.succeeded(won.attempt());
    won.attempt().deployment().countTokens(completionTokens(won.value()), System.nanoTime());
    return new Routed<>(won.value(), won.attempt().deployment().name(), route.attempts());
  }

  /** One attempt's work, on whatever thread runs it. */
  @FunctionalInterface
  interface Task<T> {
    T run(Try attempt);
  }

  /** The attempt that produced an answer, and the answer. */
  record Won<T>(Try attempt, T value) {}

  /** What one attempt produced: a value, or the exception it ended with. */
  private record Outcome<T>(Try attempt, @Nullable T value, @Nullable RuntimeException failure) {}

  /**
   * Runs attempts along the route until one produces an answer, and returns it; or throws the route's
   * final failure. Without hedging, each attempt runs on the caller's thread. With hedging, an attempt
   * that has not answered by the group's {@code hedge_after} gets the next candidate started beside it on
   * another virtual thread; the first to answer wins, and the other is cancelled — interrupted, which
   * closes its connection — and any answer it still produces is {@code discard}ed.
   *
   * @param failed records a failed attempt; usually {@link Route#failed}
   */
  <T> Won<T> run(Route route, Task<T> task, java.util.function.Consumer<T> discard,
      java.util.function.BiConsumer<Try, UpstreamException> failed) {
    while (true) {
      Try first = route.next();
      Duration delay = hedgeDelay(first.deployment().name());
      if (delay == null) {
        Outcome<T> outcome = execute(first, task);
        if (settle(route, outcome, failed)) {
          return new Won<>(first, outcome.value());
        }
        continue;
      }
      Won<T> won = race(route, first, delay, task, discard, failed);
      if (won != null) {
        return won;
      }
    }
  }

  private <T> @Nullable Won<T> race(Route route, Try first, Duration delay, Task<T> task,
      java.util.function.Consumer<T> discard, java.util.function.BiConsumer<Try, UpstreamException> failed) {
    java.util.concurrent.LinkedBlockingQueue<Outcome<T>> done = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.atomic.AtomicBoolean decided = new java.util.concurrent.atomic.AtomicBoolean();
    Map<Try, Thread> running = new LinkedHashMap<>();
    running.put(first, spawn(first, task, done, decided, discard));
    try {
      Outcome<T> outcome = done.poll(delay.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      if (outcome == null) {
        Try second = route.hedge();
        if (second != null) {
          route.emit(new BatonEvent.Hedged(route.id(), first.deployment().id(), second.deployment().id(), delay));
          running.put(second, spawn(second, task, done, decided, discard));
        }
      }
      while (!running.isEmpty()) {
        if (outcome == null) {
          outcome = done.take();
        }
        running.remove(outcome.attempt());
        if (settle(route, outcome, failed)) {
          cancel(route, running, decided, done, discard);
          return new Won<>(outcome.attempt(), outcome.value());
        }
        outcome = null;
      }
      return null;
    } catch (InterruptedException e) {
      cancel(route, running, decided, done, discard);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while racing attempts");
    } catch (RuntimeException e) {
      cancel(route, running, decided, done, discard);
      throw e;
    }
  }

  private <T> Thread spawn(Try attempt, Task<T> task, java.util.concurrent.BlockingQueue<Outcome<T>> done,
      java.util.concurrent.atomic.AtomicBoolean decided, java.util.function.Consumer<T> discard) {
    return Thread.ofVirtual().name("baton-hedge").start(() -> {
      done.add(execute(attempt, task));
      if (decided.get()) {
        discardAll(done, discard);
      }
    });
  }

  /** Cancels the attempts still running; answers they produce anyway are discarded. */
  private static <T> void cancel(Route route, Map<Try, Thread> running,
      java.util.concurrent.atomic.AtomicBoolean decided, java.util.concurrent.BlockingQueue<Outcome<T>> done,
      java.util.function.Consumer<T> discard) {
    decided.set(true);
    for (Map.Entry<Try, Thread> loser : running.entrySet()) {
      route.cancelled(loser.getKey());
      loser.getValue().interrupt();
    }
    discardAll(done, discard);
  }

  private static <T> void discardAll(java.util.concurrent.BlockingQueue<Outcome<T>> done,
      java.util.function.Consumer<T> discard) {
    Outcome<T> late;
    while ((late = done.poll()) != null) {
      if (late.failure() == null && late.value() != null) {
        try {
          discard.accept(late.value());
        } catch (RuntimeException ignored) {
          // a loser's answer is being thrown away; nothing more to do with it
        }
      }
    }
  }

  private static <T> Outcome<T> execute(Try attempt, Task<T> task) {
    Deployment d = attempt.deployment();
    d.begin();
    try {
      return new Outcome<>(attempt, task.run(attempt), null);
    } catch (RuntimeException e) {
      return new Outcome<>(attempt, null, e);
    } finally {
      d.end();
    }
  }

  /** Records what an attempt did; true if it answered. */
  private <T> boolean settle(Route route, Outcome<T> outcome,
      java.util.function.BiConsumer<Try, UpstreamException> failed) {
    RuntimeException failure = outcome.failure();
    if (failure == null) {
      route.answered(outcome.attempt());
      LatencySamples samples = latencies.get(outcome.attempt().deployment().name());
      if (samples != null) {
        samples.add(System.nanoTime() - outcome.attempt().call().started());
      }
      return true;
    }
    switch (failure) {
      case UpstreamException e -> failed.accept(outcome.attempt(), e);
      case BatonException e -> {
        route.cancelled(outcome.attempt());
        throw e;
      }
      case CancellationException e -> {
        route.cancelled(outcome.attempt());
        throw e;
      }
      default -> failed.accept(outcome.attempt(), unexpected(outcome.attempt(), failure));
    }
    return false;
  }

  /** How long an attempt at this group may go unanswered before hedging, or null for no hedging. */
  private @Nullable Duration hedgeDelay(String model) {
    HedgeAfter hedge = hedging.get(model);
    if (hedge == null) {
      return null;
    }
    if (hedge.fixed() != null) {
      return hedge.fixed();
    }
    long percentile = latencies.get(model).value();
    return percentile < 0 ? null : Duration.ofNanos(percentile);
  }

  /**
   * Opens a stream on the first model that starts answering; if it breaks off later, the stream
   * continues from the next candidate. Returns once the first content has arrived.
   */
  public ChatStream stream(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      boolean includeUsage, RoutedStream.Opener opener) {
    return stream(model, fallbacks, promptTokens, includeUsage, RequestTrace.NONE, opener);
  }

  /** {@link #stream(String, List, long, boolean, RoutedStream.Opener)}, told to the request's trace. */
  public ChatStream stream(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens,
      boolean includeUsage, RequestTrace trace, RoutedStream.Opener opener) {
    RoutedStream stream = new RoutedStream(this, route(model, fallbacks, promptTokens, trace), opener, includeUsage);
    stream.establish(null);
    return stream;
  }

  Route route(@Nullable String model, @Nullable List<String> fallbacks, long promptTokens, RequestTrace trace) {
    String name = model == null ? defaultModel : model;
    if (!groups.containsKey(name)) {
      throw new UnknownModelException(name, models());
    }
    if (fallbacks != null) {
      for (String fallback : fallbacks) {
        if (!groups.containsKey(fallback)) {
          throw new UnknownModelException(fallback, models());
        }
      }
    }
    return new Route(this, name, fallbacks, promptTokens, System.nanoTime() + config.timeout().toNanos(), trace);
  }

  /** The output tokens of an answer, for {@code tpm} accounting. */
  private static long completionTokens(Object answer) {
    return switch (answer) {
      case dev.baton.ChatResponse r -> r.usage().completionTokens();
      case dev.baton.CompletionResponse r -> r.usage().completionTokens();
      default -> 0;
    };
  }

  static UpstreamException unexpected(Try attempt, RuntimeException e) {
    log.warn("unexpected failure reading an answer from {}", attempt.deployment().id(), e);
    return new UnreadableResponseException(attempt.call().source(), "the answer could not be read: " + e, e);
  }

  RouterConfig config() {
    return config;
  }

  Strategy strategy() {
    return strategy;
  }

  Events events() {
    return events;
  }

  List<Deployment> group(String name) {
    return groups.getOrDefault(name, List.of());
  }

  @Override
  public void close() {
    for (List<Deployment> group : groups.values()) {
      for (Deployment d : group) {
        try {
          d.provider().close();
        } catch (Exception e) {
          log.debug("closing provider {} failed", d.id(), e);
        }
      }
    }
  }
}
