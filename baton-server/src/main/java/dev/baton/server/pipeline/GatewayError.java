package dev.baton.server.pipeline;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A refusal by the gateway itself — authentication, body size, an unknown route, shutting down, and later
 * keys, limits and budgets — rather than a failure of a model request ({@link dev.baton.BatonException}).
 * A filter throws one; the pipeline answers it in the shape of the route's protocol ({@link ErrorShape}).
 * The message is shown to the caller as it is, so it never holds a secret.
 */
public final class GatewayError extends RuntimeException {

  private final int status;
  private final String type;
  private final @Nullable String code;
  private final @Nullable Duration retryAfter;
  private final boolean closeConnection;

  /**
   * @param type OpenAI's error {@code type}, such as {@code invalid_request_error}; a door of another
   *     protocol maps it (and the status) to its own
   * @param retryAfter sent as {@code Retry-After} when not null
   * @param closeConnection whether the connection is closed after the answer (the rest of the request
   *     may still be arriving)
   */
  public GatewayError(int status, String type, @Nullable String code, String message,
      @Nullable Duration retryAfter, boolean closeConnection) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.retryAfter = retryAfter;
    this.closeConnection = closeConnection;
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public @Nullable String code() {
    return code;
  }

  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  public boolean closeConnection() {
    return closeConnection;
  }

  public static GatewayError unauthorized() {
    return new GatewayError(401, "invalid_request_error", "invalid_api_key",
        "Invalid or missing API key: send \"Authorization: Bearer <key>\" (or \"x-api-key: <key>\") with the"
            + " gateway's master key", null, false);
  }

  public static GatewayError bodyTooLarge(long maxBody) {
    return new GatewayError(413, "invalid_request_error", "request_too_large",
        "The request body is larger than the gateway's limit of " + maxBody + " bytes (server.max_body)", null, true);
  }

  public static GatewayError slowClient(Duration readTimeout) {
    return new GatewayError(408, "invalid_request_error", "request_timeout",
        "The request body did not arrive within " + readTimeout.toSeconds() + "s (server.read_timeout)", null, true);
  }

  public static GatewayError unknownRoute(String method, String path) {
    return new GatewayError(404, "invalid_request_error", "unknown_url",
        "Unknown request URL: " + method + " " + path, null, false);
  }

  public static GatewayError methodNotAllowed(String method, String path, String allowed) {
    return new GatewayError(405, "invalid_request_error", "method_not_allowed",
        method + " is not allowed on " + path + "; use " + allowed, null, false);
  }

  public static GatewayError shuttingDown() {
    return new GatewayError(503, "server_error", "shutting_down",
        "The gateway is shutting down; retry on another instance", null, true);
  }
}
