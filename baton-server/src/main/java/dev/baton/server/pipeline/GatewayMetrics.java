package dev.baton.server.pipeline;

import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.Usage;
import dev.baton.micrometer.RouterMeters;
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
 * The gateway's Prometheus metrics: requests by route, model and status, their latency and tokens in and out;
 * the router's attempts, fallbacks, retries, resumptions and hedges ({@link RouterMeters}, the same meters the
 * Spring starter records); circuit state per deployment. Router events arrive as a {@link BatonListener};
 * requests are recorded as a {@link Filter} once they are over.
 */
public final class GatewayMetrics implements Filter, BatonListener {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RouterMeters router = new RouterMeters(registry);
  private final ConcurrentMap<String, AtomicInteger> circuits = new ConcurrentHashMap<>();
  // The meters of each tag combination, found again with one map lookup: building a meter's id and
  // looking it up in the registry (sorting its tags, allocating builders) on every request costs more
  // than recording the value.
  private final ConcurrentMap<RequestKey, RequestMeters> requests = new ConcurrentHashMap<>();

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
      case BatonEvent.CircuitChanged change -> circuit(change.deployment()).set(change.to().ordinal());
      case BatonEvent.AttemptStarted started -> circuit(started.deployment());
      default -> router.onEvent(event);
    }
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
