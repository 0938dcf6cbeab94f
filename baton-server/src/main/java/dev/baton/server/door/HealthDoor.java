package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import io.helidon.http.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /health}: liveness, with no key needed — always 200 while the gateway serves. It also says
 * whether each backing service the gateway is configured with answers: {@code "database"} (requests go on
 * while it is away: keys are cached and spend waits in the journal) and {@code "redis"} (the instance goes on
 * alone while it is away). Either one down makes the status {@code "degraded"}, for example
 * {@code {"status":"degraded","database":"up","redis":"down"}}; with neither configured the answer is
 * {@code {"status":"ok"}}.
 */
public final class HealthDoor implements FrontDoor, Endpoint {

  private final @Nullable BooleanSupplier databaseUp;
  private final @Nullable BooleanSupplier redisUp;
  /** Every possible answer, indexed by {@link #index}: made once, so a probe allocates nothing. */
  private final byte[][] answers = new byte[4][];

  /** For a gateway with neither a database nor Redis. */
  public HealthDoor() {
    this(null, null);
  }

  /** @param databaseUp whether the database answers now ({@code KeyPlatform::databaseUp}), or null without one */
  public HealthDoor(@Nullable BooleanSupplier databaseUp) {
    this(databaseUp, null);
  }

  /**
   * @param databaseUp whether the database answers now ({@code KeyPlatform::databaseUp}), or null without one
   * @param redisUp whether the shared Redis answers now, or null when instances share nothing
   */
  public HealthDoor(@Nullable BooleanSupplier databaseUp, @Nullable BooleanSupplier redisUp) {
    this.databaseUp = databaseUp;
    this.redisUp = redisUp;
    for (int i = 0; i < answers.length; i++) {
      boolean database = (i & 1) == 0;
      boolean redis = (i & 2) == 0;
      StringBuilder body = new StringBuilder("{\"status\":\"")
          .append((databaseUp == null || database) && (redisUp == null || redis) ? "ok" : "degraded").append('"');
      if (databaseUp != null) {
        body.append(",\"database\":\"").append(database ? "up" : "down").append('"');
      }
      if (redisUp != null) {
        body.append(",\"redis\":\"").append(redis ? "up" : "down").append('"');
      }
      answers[i] = body.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }
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
    Answers.send(exchange.http(), answers[index(up(databaseUp), up(redisUp))]);
  }

  private static boolean up(@Nullable BooleanSupplier service) {
    return service == null || service.getAsBoolean();
  }

  private static int index(boolean databaseUp, boolean redisUp) {
    return (databaseUp ? 0 : 1) | (redisUp ? 0 : 2);
  }
}
