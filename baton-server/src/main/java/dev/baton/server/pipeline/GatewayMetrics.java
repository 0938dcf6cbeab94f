package dev.baton.server.pipeline;

import dev.baton.Attempt;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's Prometheus metrics: requests by route, model and status; attempts by deployment,
 * outcome and error class; fallbacks, retries, circuit state per deployment, latency histograms and
 * tokens in and out. Router events arrive as a {@link BatonListener}; requests are recorded as a
 * {@link Filter} once they are over.
 */
public final class GatewayMetrics implements Filter, BatonListener {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentMap<String, AtomicInteger> circuits = new ConcurrentHashMap<>();
  // The meters of each tag combination, found again with one map lookup: building a meter's id and
  // looking it up in the registry (sorting its tags, allocating builders) on every request costs more
  // than recording the value.
  private final ConcurrentMap<AttemptKey, AttemptMeters> attempts = new ConcurrentHashMap<>();
  private final ConcurrentMap<RequestKey, RequestMeters> requests = new ConcurrentHashMap<>();

  private record AttemptKey(String model, String deployment, String provider, Attempt.Outcome outcome, String error) {}

  private record AttemptMeters(Counter count, @Nullable Timer duration) {}

  private record RequestKey(String route, String model, int status) {}

  private record RequestMeters(Counter count, Timer duration) {}

  private record TokenCounters(Counter in, Counter out) {}

  private final ConcurrentMap<String, TokenCounters> tokens = new ConcurrentHashMap<>();

  /** Everything recorded, in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    chain.proceed();
    request(exchange.route(), exchange.model(), exchange.status(), exchange.elapsedNanos(), exchange.usage());
  }

  @Override
  public void onEvent(BatonEvent event) {
    switch (event) {
      case BatonEvent.AttemptFinished finished -> attempt(finished.attempt());
      case BatonEvent.FallingBack fallback -> Counter.builder("baton.fallbacks")
          .description("Moves from a failed model to its fallback")
          .tag("from", fallback.from()).tag("to", fallback.to())
          .tag("reason", fallback.cause() == null ? "no_attempt" : fallback.cause().kind())
          .register(registry).increment();
      case BatonEvent.StreamResumed resumed -> Counter.builder("baton.stream.resumptions")
          .description("Broken streams continued from another model")
          .tag("from", resumed.from()).tag("to", resumed.to())
          .register(registry).increment();
      case BatonEvent.Retrying retry -> Counter.builder("baton.retries")
          .description("Retries of the same deployment")
          .tag("deployment", retry.deployment()).tag("reason", retry.cause().kind())
          .register(registry).increment();
      case BatonEvent.Hedged hedged -> Counter.builder("baton.hedges")
          .description("Second attempts started because the first had not answered in time")
          .tag("waiting", hedged.waiting()).tag("started", hedged.started())
          .register(registry).increment();
      case BatonEvent.CircuitChanged change -> circuit(change.deployment()).set(change.to().ordinal());
      case BatonEvent.AttemptStarted started -> circuit(started.deployment());
    }
  }

  private void attempt(Attempt a) {
    String error = a.error() == null ? "none" : a.error().kind();
    AttemptKey key = new AttemptKey(a.model(), a.deployment(), a.provider(), a.outcome(), error);
    AttemptMeters meters = attempts.get(key);
    if (meters == null) {
      meters = attempts.computeIfAbsent(key, k -> attemptMeters(k, a.wentUpstream()));
    }
    meters.count().increment();
    if (a.wentUpstream()) {
      Timer duration = meters.duration();
      if (duration == null) {
        duration = attemptTimer(key);
      }
      duration.record(a.latency());
    }
  }

  private AttemptMeters attemptMeters(AttemptKey k, boolean wentUpstream) {
    Counter count = Counter.builder("baton.attempts")
        .description("Upstream attempts by outcome and error class")
        .tag("model", k.model()).tag("deployment", k.deployment()).tag("provider", k.provider())
        .tag("outcome", k.outcome().name().toLowerCase(java.util.Locale.ROOT)).tag("error", k.error())
        .register(registry);
    return new AttemptMeters(count, wentUpstream ? attemptTimer(k) : null);
  }

  private Timer attemptTimer(AttemptKey k) {
    return Timer.builder("baton.attempt.duration")
        .description("Time of each upstream attempt")
        .tag("deployment", k.deployment()).tag("outcome", k.outcome().name().toLowerCase(java.util.Locale.ROOT))
        .publishPercentileHistogram()
        .register(registry);
  }

  private AtomicInteger circuit(String deployment) {
    return circuits.computeIfAbsent(deployment, d -> {
      AtomicInteger state = new AtomicInteger();
      Gauge.builder("baton.circuit.state", state, AtomicInteger::get)
          .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
          .tag("deployment", d)
          .register(registry);
      return state;
    });
  }

  /** Records a finished HTTP request. */
  public void request(String route, @Nullable String model, int status, Duration latency, @Nullable Usage usage) {
    request(route, model, status, latency.toNanos(), usage);
  }

  /** Records a finished HTTP request that took {@code nanos}. */
  public void request(String route, @Nullable String model, int status, long nanos, @Nullable Usage usage) {
    RequestKey key = new RequestKey(route, model == null ? "none" : model, status);
    RequestMeters meters = requests.get(key);
    if (meters == null) {
      meters = requests.computeIfAbsent(key, this::requestMeters);
    }
    meters.count().increment();
    meters.duration().record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (usage != null) {
      TokenCounters counters = tokens.get(key.model());
      if (counters == null) {
        counters = tokens.computeIfAbsent(key.model(), this::tokenCounters);
      }
      counters.in().increment(usage.promptTokens());
      counters.out().increment(usage.completionTokens());
    }
  }

  private RequestMeters requestMeters(RequestKey k) {
    Counter count = Counter.builder("baton.requests")
        .description("Requests by route, model and status")
        .tag("route", k.route()).tag("model", k.model()).tag("status", Integer.toString(k.status()))
        .register(registry);
    Timer duration = Timer.builder("baton.request.duration")
        .description("Time from request to the end of the answer")
        .tag("route", k.route()).tag("model", k.model())
        .publishPercentileHistogram()
        .register(registry);
    return new RequestMeters(count, duration);
  }

  private TokenCounters tokenCounters(String model) {
    Counter in = Counter.builder("baton.tokens").description("Tokens in (prompt) and out (completion)")
        .tag("model", model).tag("direction", "in").register(registry);
    Counter out = Counter.builder("baton.tokens").description("Tokens in (prompt) and out (completion)")
        .tag("model", model).tag("direction", "out").register(registry);
    return new TokenCounters(in, out);
  }
}
