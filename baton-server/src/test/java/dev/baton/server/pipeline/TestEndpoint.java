package dev.baton.server.pipeline;

import dev.baton.BatonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An endpoint for pipeline tests: it answers {@code answered} (or does what the test gives it), notes
 * what it was asked to do in {@link #steps}, and writes errors in a shape of its own —
 * {@code shape=test status=S code=C} — so a test can tell that a refusal took the route's shape.
 */
final class TestEndpoint implements Endpoint {

  @FunctionalInterface
  interface Answer {
    void answer(Exchange exchange) throws IOException;
  }

  static final ErrorShape SHAPE = new ErrorShape() {
    @Override
    public byte[] body(GatewayError error) {
      return ("shape=test status=" + error.status() + " code=" + error.code()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body(BatonException error) {
      return ("shape=test status=" + error.status() + " code=" + error.code()).getBytes(StandardCharsets.UTF_8);
    }
  };

  final List<String> steps = new ArrayList<>();
  private final Answer answer;

  TestEndpoint() {
    this(exchange -> exchange.http().send("answered".getBytes(StandardCharsets.UTF_8)));
  }

  TestEndpoint(Answer answer) {
    this.answer = answer;
  }

  @Override
  public ErrorShape errors() {
    return SHAPE;
  }

  @Override
  public void read(Exchange exchange) {
    steps.add("read");
    exchange.request("smart", false, "the request");
  }

  @Override
  public void answer(Exchange exchange) throws IOException {
    steps.add("answer");
    answer.answer(exchange);
  }
}
