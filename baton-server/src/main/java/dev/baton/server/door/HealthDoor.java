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
 * {@code GET /health}: liveness, with no key needed — always 200 while the gateway serves. With a database,
 * it also says whether the database answers: {@code {"status":"degraded","database":"down"}} while it is
 * away (requests still work: keys are cached and spend waits in the journal), {@code "ok"} and {@code "up"}
 * once it is back.
 */
public final class HealthDoor implements FrontDoor, Endpoint {

  private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DATABASE_UP =
      "{\"status\":\"ok\",\"database\":\"up\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DATABASE_DOWN =
      "{\"status\":\"degraded\",\"database\":\"down\"}".getBytes(StandardCharsets.UTF_8);

  private final @Nullable BooleanSupplier databaseUp;

  /** For a gateway without a database. */
  public HealthDoor() {
    this(null);
  }

  /** @param databaseUp whether the database answers now ({@code KeyPlatform::databaseUp}), or null without one */
  public HealthDoor(@Nullable BooleanSupplier databaseUp) {
    this.databaseUp = databaseUp;
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
    byte[] body = databaseUp == null ? OK : databaseUp.getAsBoolean() ? DATABASE_UP : DATABASE_DOWN;
    Answers.send(exchange.http(), body);
  }
}
