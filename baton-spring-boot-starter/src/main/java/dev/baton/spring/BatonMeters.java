package dev.baton.spring;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.BatonEvent;
import dev.baton.BatonListener;
import dev.baton.DeploymentStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Baton's meters on the application's registry, named as the gateway names them: {@code baton.attempts}
 * (by model, deployment, provider, outcome and error kind), {@code baton.attempt.duration},
 * {@code baton.fallbacks}, {@code baton.retries}, {@code baton.stream.resumptions}, {@code baton.hedges},
 * and per deployment the gauges {@code baton.circuit.state} (0 closed, 1 open, 2 half-open),
 * {@code baton.deployment.available} and {@code baton.deployment.in_flight}. Spring Boot binds it to every
 * {@link MeterRegistry}; it listens to the Baton (any Baton bean, the application's own included) from its
 * first binding on.
 */
public class BatonMeters implements MeterBinder {

  private final Baton baton;
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
  private final AtomicBoolean listening = new AtomicBoolean();

  public BatonMeters(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
    for (DeploymentStatus d : baton.deployments()) {
      String id = d.deployment();
      Gauge.builder("baton.circuit.state", baton, b -> state(b, id).circuit().ordinal())
          .description("Circuit breaker state: 0 closed, 1 open, 2 half-open")
          .tag("model", d.model()).tag("deployment", id).tag("provider", d.provider())
          .register(registry);
      Gauge.builder("baton.deployment.available", baton, b -> state(b, id).available() ? 1 : 0)
          .description("Whether a request may be sent to the deployment now (1) or not (0)")
          .tag("model", d.model()).tag("deployment", id).tag("provider", d.provider())
          .register(registry);
      Gauge.builder("baton.deployment.in_flight", baton, b -> state(b, id).inFlight())
          .description("Requests the deployment is answering now")
          .tag("model", d.model()).tag("deployment", id).tag("provider", d.provider())
          .register(registry);
    }
    if (listening.compareAndSet(false, true)) {
      baton.addListener(recorder);
    }
  }

  private static DeploymentStatus state(Baton baton, String deployment) {
    for (DeploymentStatus d : baton.deployments()) {
      if (d.deployment().equals(deployment)) {
        return d;
      }
    }
    throw new IllegalStateException("no deployment " + deployment);
  }

  /** Not a bean of its own: every BatonListener bean is handed to the Baton being built, which this needs. */
  private final BatonListener recorder = event -> {
    for (MeterRegistry registry : registries) {
      record(registry, event);
    }
  };

  private static void record(MeterRegistry registry, BatonEvent event) {
    switch (event) {
      case BatonEvent.AttemptFinished finished -> attempt(registry, finished.attempt());
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
      default -> {
        // Attempts starting and circuit changes are read by the gauges.
      }
    }
  }

  private static void attempt(MeterRegistry registry, Attempt a) {
    String outcome = a.outcome().name().toLowerCase(Locale.ROOT);
    Counter.builder("baton.attempts")
        .description("Upstream attempts by outcome and error kind")
        .tag("model", a.model()).tag("deployment", a.deployment()).tag("provider", a.provider())
        .tag("outcome", outcome).tag("error", a.error() == null ? "none" : a.error().kind())
        .register(registry).increment();
    if (a.wentUpstream()) {
      Timer.builder("baton.attempt.duration")
          .description("Time of each upstream attempt")
          .tag("deployment", a.deployment()).tag("outcome", outcome)
          .register(registry).record(a.latency());
    }
  }
}
