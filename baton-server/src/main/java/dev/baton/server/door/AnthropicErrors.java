package dev.baton.server.door;

import dev.baton.BatonException;
import dev.baton.ContextWindowExceededException;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.wire.Json;

/**
 * Anthropic's error body, {@code {"type": "error", "error": {"type", "message"}}}, for {@code /v1/messages}:
 * the type follows the status as Anthropic's API and SDKs pair them, whatever filter or model refused.
 */
public final class AnthropicErrors implements ErrorShape {

  public static final AnthropicErrors SHAPE = new AnthropicErrors();

  private AnthropicErrors() {}

  @Override
  public byte[] body(GatewayError error) {
    return body(error.status(), error.getMessage());
  }

  @Override
  public byte[] body(BatonException error) {
    return body(error.status(), message(error));
  }

  /** The body of an error with this status and message. */
  static byte[] body(int status, String message) {
    return Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", "error");
      gen.writeObjectFieldStart("error");
      gen.writeStringField("type", type(status));
      gen.writeStringField("message", message);
      gen.writeEndObject();
      gen.writeEndObject();
    });
  }

  /**
   * The message a caller reads. A prompt too long for every model starts as Anthropic's own does
   * ({@code prompt is too long: ...}), which clients such as Claude Code look for to compact the conversation.
   */
  static String message(BatonException error) {
    boolean tooLong = error instanceof ContextWindowExceededException
        || "context_length_exceeded".equals(error.code());
    String message = String.valueOf(error.getMessage());
    return tooLong && !message.startsWith("prompt is too long") ? "prompt is too long: " + message : message;
  }

  /** Anthropic's error type for an HTTP status. */
  static String type(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      case 504 -> "timeout_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
