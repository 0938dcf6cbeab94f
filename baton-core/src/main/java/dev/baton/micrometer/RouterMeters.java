package dev.baton.micrometer;

import dev.baton.Attempt;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * What the router does, as meters on one registry: {@code baton.attempts} (by model, deployment, provider,
 * outcome and error kind), {@code baton.attempt.duration} (attempts that went upstream),
 * {@code baton.fallbacks}, {@code baton.retries}, {@code baton.stream.resumptions} and {@code baton.hedges}.
 * Add it to a {@code Baton} as a listener. Circuit and deployment gauges are the caller's to register: the
 * gateway and the Spring starter read them from different places.
 */
public final class RouterMeters implements BatonListener {

  private final MeterRegistry registry;
  // The meters of each attempt's tags, found again with one map lookup: building a meter's id and looking
  // it up in the registry (sorting its tags, allocating builders) on every attempt costs more than
  // recording the value.
  private final ConcurrentMap<AttemptKey, AttemptMeters> attempts = new ConcurrentHashMap<>();

  private record AttemptKey(String model, String deployment, String provider, Attempt.Outcome outcome, String error) {}

  private record AttemptMeters(Counter count, @Nullable Timer duration) {}

  public RouterMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
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
      case BatonEvent.AttemptStarted started -> {
        // counted when it finishes, with its outcome
      }
      case BatonEvent.CircuitChanged change -> {
        // a gauge, registered by whoever knows where to read the circuit's state
      }
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
        // the first attempts of these tags made no call: the timer is registered now, and kept
        duration = attemptTimer(key);
        attempts.put(key, new AttemptMeters(meters.count(), duration));
      }
      duration.record(a.latency());
    }
  }

  /** The timer only once an attempt of these tags went upstream: one that never does is not reported as 0 ms. */
  private AttemptMeters attemptMeters(AttemptKey k, boolean wentUpstream) {
    Counter count = Counter.builder("baton.attempts")
        .description("Upstream attempts by outcome and error kind")
        .tag("model", k.model()).tag("deployment", k.deployment()).tag("provider", k.provider())
        .tag("outcome", outcome(k)).tag("error", k.error())
        .register(registry);
    return new AttemptMeters(count, wentUpstream ? attemptTimer(k) : null);
  }

  private Timer attemptTimer(AttemptKey k) {
    return Timer.builder("baton.attempt.duration")
        .description("Time of each upstream attempt")
        .tag("deployment", k.deployment()).tag("outcome", outcome(k))
        .publishPercentileHistogram()
        .register(registry);
  }

  private static String outcome(AttemptKey k) {
    return k.outcome().name().toLowerCase(Locale.ROOT);
  }
}
