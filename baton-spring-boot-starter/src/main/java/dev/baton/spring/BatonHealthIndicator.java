package dev.baton.spring;

import dev.baton.Baton;
import dev.baton.DeploymentStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator's {@code baton} health: UP while every model can be answered — by one of its own deployments,
 * or along its fallbacks — and DOWN when some model has nowhere left to go. An open circuit whose model
 * has a working fallback is not DOWN: the application's requests are still answered. The details show
 * each model's answerability and each deployment's circuit state. Nothing here calls an upstream.
 */
public class BatonHealthIndicator implements HealthIndicator {

  private final Baton baton;

  public BatonHealthIndicator(Baton baton) {
    this.baton = Objects.requireNonNull(baton, "baton");
  }

  @Override
  public Health health() {
    Map<String, Object> models = new LinkedHashMap<>();
    boolean all = true;
    for (String model : baton.models()) {
      boolean can = baton.canAnswer(model);
      all &= can;
      models.put(model, can ? "UP" : "DOWN");
    }
    Map<String, Object> deployments = new LinkedHashMap<>();
    for (DeploymentStatus d : baton.deployments()) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("model", d.model());
      detail.put("provider", d.provider());
      detail.put("upstreamModel", d.upstreamModel());
      detail.put("circuit", d.circuit().name());
      detail.put("available", d.available());
      detail.put("inFlight", d.inFlight());
      deployments.put(d.deployment(), detail);
    }
    return (all ? Health.up() : Health.down()).withDetail("models", models).withDetail("deployments", deployments)
        .build();
  }
}
