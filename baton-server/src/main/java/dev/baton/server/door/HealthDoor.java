package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import io.helidon.http.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /health}: liveness, with no key needed — always 200 while the gateway serves. With Redis
 * configured it also says whether Redis answers: {@code "redis": "down"} (and {@code "degraded"}) while
 * it is away and the instance goes on alone, {@code "up"} once it is back.
 */
public final class HealthDoor implements FrontDoor, Endpoint {

  private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] REDIS_UP = "{\"status\":\"ok\",\"redis\":\"up\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] REDIS_DOWN =
      "{\"status\":\"degraded\",\"redis\":\"down\"}".getBytes(StandardCharsets.UTF_8);

  private final Supplier<Optional<Boolean>> redisUp;

  /** For a gateway alone. */
  public HealthDoor() {
    this(Optional::empty);
  }

  /** @param redisUp whether Redis answers now; empty without Redis ({@code SharedState::redisUp}) */
  public HealthDoor(Supplier<Optional<Boolean>> redisUp) {
    this.redisUp = redisUp;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.GET, "/health", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) {
    Optional<Boolean> redis = redisUp.get();
    Answers.send(exchange.http(), redis.isEmpty() ? OK : redis.get() ? REDIS_UP : REDIS_DOWN);
  }
}
