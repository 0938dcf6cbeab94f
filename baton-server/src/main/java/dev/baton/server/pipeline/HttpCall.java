package dev.baton.server.pipeline;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderValues;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request and its answer, as the pipeline and the front doors see them: the thin layer between
 * them and the web server ({@code dev.baton.server.HelidonCall} in production, an in-memory one in tests),
 * so that every filter and door can be tested without a server. Header names and values are Helidon's
 * small value types, so the answer's constant headers are made once.
 */
public interface HttpCall {

  /** The request method, such as {@code POST}. */
  String method();

  /** The request path, such as {@code /v1/chat/completions}. */
  String path();

  /** The first value of a request header, or null when the caller did not send it. */
  @Nullable String header(HeaderName name);

  /** The request's declared {@code Content-Length}, if it has one. */
  OptionalLong contentLength();

  /** Whether the request carries a body at all. */
  boolean hasBody();

  /** The request body, read as it arrives. */
  InputStream body();

  /** A parameter of the route's path pattern, such as {@code model} in {@code /v1/models/{model}}; null if absent. */
  @Nullable String pathParameter(String name);

  /** The first value of a query parameter, or null when the URL has none of that name. */
  @Nullable String query(String name);

  /** The query as it came, still percent-encoded and without its {@code ?}; empty when the URL has none. */
  String rawQuery();

  /** The caller's network address (without its port), or null when unknown; for per-client limits. */
  default @Nullable String remoteAddress() {
    return null;
  }

  /** Sets the answer's status; until then it is 200. */
  void status(int code);

  /** The answer's status, as set so far. */
  int status();

  /** Adds a header to the answer (replacing one of the same name). */
  void header(Header header);

  /** Adds a header to the answer (replacing one of the same name). */
  default void header(HeaderName name, String value) {
    header(HeaderValues.create(name, value));
  }

  /** Sends the whole answer with this body. */
  void send(byte[] body);

  /** Starts an answer written as it goes (a stream); closing the stream ends the answer. */
  OutputStream stream();

  /** Whether the answer's head has been sent, after which its status and headers cannot change. */
  boolean sent();
}
