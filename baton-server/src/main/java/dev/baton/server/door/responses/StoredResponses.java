package dev.baton.server.door.responses;

import dev.baton.server.door.Answers;
import dev.baton.server.door.OpenAiErrors;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.server.store.StoredResponse;
import dev.baton.wire.Json;
import java.util.Objects;

/**
 * {@code GET /v1/responses/{response_id}}: a stored response, as the caller first received it;
 * {@code DELETE /v1/responses/{response_id}}: forgets it, answering {@code {"id", "object": "response",
 * "deleted": true}}. Only its owner (or the administrator) sees it: for anyone else, as for an unknown or
 * expired id, it is a 404.
 */
final class StoredResponses implements Endpoint {

  private final Conversations conversations;

  StoredResponses(Conversations conversations) {
    this.conversations = conversations;
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) {
    String id = Objects.requireNonNull(exchange.http().pathParameter("response_id"));
    StoredResponse stored = conversations.find(id, exchange.caller()).orElseThrow(() -> notFound(id));
    if (exchange.method().equals("DELETE")) {
      if (!conversations.store().delete(stored.id())) {
        throw notFound(id);
      }
      Answers.send(exchange.http(), Json.write(gen -> {
        gen.writeStartObject();
        gen.writeStringField("id", stored.id());
        gen.writeStringField("object", "response");
        gen.writeBooleanField("deleted", true);
        gen.writeEndObject();
      }));
      return;
    }
    Answers.send(exchange.http(), Conversations.response(stored));
  }

  private static GatewayError notFound(String id) {
    return new GatewayError(404, "invalid_request_error", null, "Response with id '" + id + "' not found.", null,
        false);
  }
}
