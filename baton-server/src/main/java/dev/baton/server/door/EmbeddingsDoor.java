package dev.baton.server.door;

import dev.baton.Baton;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
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

/** {@code POST /v1/embeddings}, OpenAI's embeddings, as floats or base64. */
public final class EmbeddingsDoor implements FrontDoor, Endpoint {

  private final Baton baton;

  public EmbeddingsDoor(Baton baton) {
    this.baton = baton;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.POST, "/v1/embeddings", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void read(Exchange exchange) throws IOException {
    WireRequest<EmbeddingRequest> wire = OpenAiRequestReader.embedding(exchange.body());
    exchange.request(wire.request().model(), false, wire.request());
  }

  @Override
  public void answer(Exchange exchange) {
    EmbeddingRequest request = (EmbeddingRequest) exchange.request();
    EmbeddingResponse answer = baton.embed(request, Cache.context(exchange));
    byte[] json = OpenAiResponseWriter.embedding(answer, OpenAiRequestReader.wantsBase64(request));
    Answers.send(exchange, json, answer.model(), answer.attempts(), answer.usage());
  }
}
