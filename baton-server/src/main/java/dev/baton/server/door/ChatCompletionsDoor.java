package dev.baton.server.door;

import dev.baton.Baton;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
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

/**
 * {@code POST /v1/chat/completions}, OpenAI's Chat Completions, plain and streamed. The request is read
 * in one pass and keeps its bytes, so an OpenAI-compatible deployment gets them as they came with only
 * {@code model} rewritten ({@link dev.baton.wire.RawObject}).
 */
public final class ChatCompletionsDoor implements FrontDoor, Endpoint {

  private final Baton baton;

  public ChatCompletionsDoor(Baton baton) {
    this.baton = baton;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.POST, "/v1/chat/completions", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void read(Exchange exchange) throws IOException {
    WireRequest<ChatRequest> wire = OpenAiRequestReader.chat(exchange.body());
    exchange.request(wire.request().model(), wire.stream(), wire.request());
  }

  @Override
  public void answer(Exchange exchange) {
    ChatRequest request = (ChatRequest) exchange.request();
    CacheContext cache = Cache.context(exchange);
    if (exchange.stream()) {
      OpenAiStream.write(exchange, baton.stream(request, cache), OpenAiResponseWriter::chatChunk);
      return;
    }
    ChatResponse answer = baton.chat(request, cache);
    Answers.send(exchange, OpenAiResponseWriter.chat(answer), answer.model(), answer.attempts(), answer.usage());
  }
}
