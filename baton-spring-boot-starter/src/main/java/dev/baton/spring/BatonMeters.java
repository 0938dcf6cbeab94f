package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.BatonListener;
import dev.baton.DeploymentStatus;
import dev.baton.micrometer.RouterMeters;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
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
  private final List<RouterMeters> routers = new CopyOnWriteArrayList<>();
  private final AtomicBoolean listening = new AtomicBoolean();

  public BatonMeters(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    routers.add(new RouterMeters(registry));
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
    for (RouterMeters meters : routers) {
      meters.onEvent(event);
    }
  };
}
