package dev.baton.server.pipeline;

import dev.baton.store.Refusal;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final @Nullable String param;
  private final List<Header> headers;

  /**
   * @param type OpenAI's error {@code type}, such as {@code invalid_request_error}; a door of another
   *     protocol maps it (and the status) to its own
   * @param retryAfter sent as {@code Retry-After} when not null
   * @param closeConnection whether the connection is closed after the answer (the rest of the request
   *     may still be arriving)
   */
  public GatewayError(int status, String type, @Nullable String code, String message,
      @Nullable Duration retryAfter, boolean closeConnection) {
    this(status, type, code, message, null, retryAfter, List.of(), closeConnection);
  }

  /**
   * A refusal that names the parameter at fault and carries headers of its own, such as a key's
   * {@code x-ratelimit-*} and {@code x-should-retry}.
   *
   * @param param the error body's {@code param}, or null
   * @param headers sent with the answer, whatever the protocol's error shape
   */
  public GatewayError(int status, String type, @Nullable String code, String message, @Nullable String param,
      @Nullable Duration retryAfter, List<Header> headers, boolean closeConnection) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfter = retryAfter;
    this.headers = List.copyOf(headers);
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

  /** The request parameter at fault, such as {@code model}, or null. */
  public @Nullable String param() {
    return param;
  }

  /** Headers the answer carries besides {@code Retry-After}. */
  public List<Header> headers() {
    return headers;
  }

  public static GatewayError unauthorized() {
    return new GatewayError(401, "invalid_request_error", "invalid_api_key",
        "Invalid or missing API key: send \"Authorization: Bearer <key>\" (or \"x-api-key: <key>\") with the"
            + " gateway's master key", null, false);
  }

  /**
   * A request refused for its virtual key — 401 {@code invalid_api_key}, 403 {@code model_not_allowed},
   * 429 {@code rate_limit_exceeded} or {@code budget_exceeded} — with the headers the refusal carries
   * ({@code Retry-After}, {@code x-ratelimit-*}, {@code x-should-retry}).
   */
  public static GatewayError of(Refusal refusal) {
    List<Header> headers = new ArrayList<>(refusal.headers().size());
    refusal.headers().forEach((name, value) -> headers.add(HeaderValues.create(HeaderNames.create(name), value)));
    return new GatewayError(refusal.status(), refusal.type(), refusal.code(), refusal.message(), refusal.param(), null,
        headers, false);
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
