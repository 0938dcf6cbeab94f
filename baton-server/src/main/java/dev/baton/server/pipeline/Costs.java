package dev.baton.server.pipeline;

import dev.baton.Usage;
import dev.baton.catalogue.Pricing;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a request cost, in USD: the answering deployment's prices (from its configuration, else the model
 * catalogue) times the usage it reported — for a stream, the usage at its end. Nothing for a cache hit, a
 * failure without usage, or a deployment without prices. Worked out once per request and shared by the
 * filters that need it (a key's budget in {@link KeyLimits}, the request log in {@link SpendRecord}).
 */
public final class Costs {

  private static final Attribute<Double> COST = Attribute.named("cost_usd");

  private final Function<String, Optional<Pricing>> pricing;
  private final ConcurrentHashMap<String, Optional<Pricing>> byDeployment = new ConcurrentHashMap<>();

  /** @param pricing a deployment id's prices: {@code Baton::pricing} */
  public Costs(Function<String, Optional<Pricing>> pricing) {
    this.pricing = pricing;
  }

  /** The cost of an exchange's answer, once it is over. */
  public double of(Exchange exchange) {
    Double known = exchange.get(COST);
    if (known != null) {
      return known;
    }
    // a cache hit has no usage (Exchange.answered keeps none for it), so it costs nothing
    double cost = cost(exchange.servedBy(), exchange.usage());
    exchange.set(COST, cost);
    return cost;
  }

  private double cost(@Nullable String deployment, @Nullable Usage usage) {
    if (usage == null || deployment == null) {
      return 0;
    }
    Pricing prices = byDeployment.computeIfAbsent(deployment, pricing).orElse(null);
    return prices == null ? 0 : prices.cost(usage);
  }
}
