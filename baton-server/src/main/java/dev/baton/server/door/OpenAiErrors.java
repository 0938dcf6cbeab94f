package dev.baton.server.door;

import dev.baton.BatonException;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.wire.OpenAiResponseWriter;

/** OpenAI's error body, {@code {"error": {"message", "type", "param", "code"}}}: every route but Anthropic's. */
public final class OpenAiErrors implements ErrorShape {

  public static final OpenAiErrors SHAPE = new OpenAiErrors();

  private OpenAiErrors() {}

  @Override
  public byte[] body(GatewayError error) {
    return OpenAiResponseWriter.error(error.getMessage(), error.type(), error.param(), error.code());
  }

  @Override
  public byte[] body(BatonException error) {
    return OpenAiResponseWriter.error(error);
  }
}
