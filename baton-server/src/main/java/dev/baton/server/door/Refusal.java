package dev.baton.server.door;

import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayError;

/** The answer where no door is: an unknown URL (404), or a door's path with the wrong method (405). */
public final class Refusal implements Endpoint {

  private final String allowed;
  private final ErrorShape shape;

  private Refusal(String allowed, ErrorShape shape) {
    this.allowed = allowed;
    this.shape = shape;
  }

  /** For any path no door serves. */
  public static Refusal unknownRoute() {
    return new Refusal("", OpenAiErrors.SHAPE);
  }

  /** For a door's path called with a method it does not serve, in OpenAI's error shape. */
  public static Refusal methodNotAllowed(String allowedMethods) {
    return methodNotAllowed(allowedMethods, OpenAiErrors.SHAPE);
  }

  /** For a door's path called with a method it does not serve, in the door's own error shape. */
  public static Refusal methodNotAllowed(String allowedMethods, ErrorShape shape) {
    return new Refusal(allowedMethods, shape);
  }

  @Override
  public ErrorShape errors() {
    return shape;
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
