package dev.baton.server.pipeline;

import dev.baton.BatonException;

/**
 * How one protocol writes an error body: OpenAI's {@code {"error": {...}}} for the OpenAI routes, later
 * Anthropic's {@code {"type": "error", "error": {...}}} for {@code /v1/messages}. The status and the
 * {@code Retry-After} header are the same for every protocol and set by the {@link Exchange}.
 */
public interface ErrorShape {

  /** The body for a refusal of the gateway's own: 401, 413, 503 and the like. */
  byte[] body(GatewayError error);

  /** The body for a failed model request, from its status, type, code and message. */
  byte[] body(BatonException error);
}
