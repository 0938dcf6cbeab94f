package dev.baton.server.door;

import dev.baton.Baton;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.cache.CacheContext;
import dev.baton.server.pipeline.Cache;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.wire.OpenAiRequestReader;
import dev.baton.wire.OpenAiResponseWriter;
import dev.baton.wire.WireRequest;
import io.helidon.http.Method;
import java.io.IOException;
import java.util.List;

/** {@code POST /v1/completions}, OpenAI's legacy text completions, plain and streamed. */
public final class CompletionsDoor implements FrontDoor, Endpoint {

  private final Baton baton;

  public CompletionsDoor(Baton baton) {
    this.baton = baton;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.POST, "/v1/completions", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void read(Exchange exchange) throws IOException {
    WireRequest<CompletionRequest> wire = OpenAiRequestReader.completion(exchange.body());
    exchange.request(wire.request().model(), wire.stream(), wire.request());
  }

  @Override
  public void answer(Exchange exchange) {
    CompletionRequest request = (CompletionRequest) exchange.request();
    CacheContext cache = Cache.context(exchange);
    if (exchange.stream()) {
      OpenAiStream.write(exchange, baton.streamCompletion(request, cache), OpenAiResponseWriter::completionChunk);
      return;
    }
    CompletionResponse answer = baton.complete(request, cache);
    Answers.send(exchange, OpenAiResponseWriter.completion(answer), answer.model(), answer.attempts(), answer.usage());
  }
}
