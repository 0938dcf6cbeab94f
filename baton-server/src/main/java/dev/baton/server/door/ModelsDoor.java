package dev.baton.server.door;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.baton.Baton;
import dev.baton.UnknownModelException;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.wire.Json;
import io.helidon.http.Method;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}, in OpenAI's shape: each public model name
 * once, as far as the caller may use it ({@link Caller#mayUse}).
 */
public final class ModelsDoor implements FrontDoor, Endpoint {

  private final Baton baton;
  private final long created = System.currentTimeMillis() / 1000;

  public ModelsDoor(Baton baton) {
    this.baton = baton;
  }

  @Override
  public List<Route> routes() {
    return List.of(new Route(Method.GET, "/v1/models", this), new Route(Method.GET, "/v1/models/{model}", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) {
    Caller caller = exchange.caller();
    String name = exchange.http().pathParameter("model");
    if (name != null) {
      if (!baton.models().contains(name) || !mayUse(caller, name)) {
        throw new UnknownModelException(name, visible(caller));
      }
      Answers.send(exchange.http(), Json.write(gen -> writeModel(gen, name)));
      return;
    }
    Answers.send(exchange.http(), Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("object", "list");
      gen.writeArrayFieldStart("data");
      for (String model : visible(caller)) {
        writeModel(gen, model);
      }
      gen.writeEndArray();
      gen.writeEndObject();
    }));
  }

  private List<String> visible(@Nullable Caller caller) {
    return caller == null ? baton.models() : baton.models().stream().filter(caller::mayUse).toList();
  }

  private static boolean mayUse(@Nullable Caller caller, String model) {
    return caller == null || caller.mayUse(model);
  }

  private void writeModel(JsonGenerator gen, String model) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", model);
    gen.writeStringField("object", "model");
    gen.writeNumberField("created", created);
    gen.writeStringField("owned_by", "baton");
    gen.writeEndObject();
  }
}
