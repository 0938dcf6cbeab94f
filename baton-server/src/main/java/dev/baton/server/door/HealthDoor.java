package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import io.helidon.http.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code GET /health}: liveness, with no key needed. */
public final class HealthDoor implements FrontDoor, Endpoint {

  private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

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
    Answers.send(exchange.http(), OK);
  }
}
