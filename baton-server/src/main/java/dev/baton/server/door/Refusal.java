package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayError;

/** The answer where no door is: an unknown URL (404), or a door's path with the wrong method (405). */
public final class Refusal implements Endpoint {

  private final String allowed;

  private Refusal(String allowed) {
    this.allowed = allowed;
  }

  /** For any path no door serves. */
  public static Refusal unknownRoute() {
    return new Refusal("");
  }

  /** For a door's path called with a method it does not serve. */
  public static Refusal methodNotAllowed(String allowedMethods) {
    return new Refusal(allowedMethods);
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) {
    String method = exchange.method();
    String path = exchange.http().path();
    throw allowed.isEmpty()
        ? GatewayError.unknownRoute(method, path)
        : GatewayError.methodNotAllowed(method, path, allowed);
  }
}
