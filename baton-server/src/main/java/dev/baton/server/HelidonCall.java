package dev.baton.server;

import dev.baton.server.pipeline.HttpCall;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** The pipeline's view of one request, over Helidon's: the only class of the request path that knows the web server. */
final class HelidonCall implements HttpCall {

  private final ServerRequest request;
  private final ServerResponse response;
  /** Helidon's {@code isSent()} stays false for an answer written through its output stream. */
  private boolean streaming;

  HelidonCall(ServerRequest request, ServerResponse response) {
    this.request = request;
    this.response = response;
  }

  @Override
  public String method() {
    return request.prologue().method().text();
  }

  @Override
  public String path() {
    return request.path().path();
  }

  @Override
  public @Nullable String header(HeaderName name) {
    return request.headers().first(name).orElse(null);
  }

  @Override
  public OptionalLong contentLength() {
    return request.headers().contentLength();
  }

  @Override
  public boolean hasBody() {
    return request.content().hasEntity();
  }

  @Override
  public InputStream body() {
    return request.content().inputStream();
  }

  @Override
  public @Nullable String pathParameter(String name) {
    Parameters parameters = request.path().pathParameters();
    return parameters.contains(name) ? parameters.get(name) : null;
  }

  @Override
  public @Nullable String query(String name) {
    Parameters query = request.query();
    return query.contains(name) ? query.get(name) : null;
  }

  @Override
  public String rawQuery() {
    return request.query().rawValue();
  }

  @Override
  public @Nullable String remoteAddress() {
    // The numeric address: never a reverse lookup on the request path.
    return request.remotePeer().address() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress() : null;
  }

  @Override
  public void status(int code) {
    response.status(code == 200 ? Status.OK_200 : Status.create(code));
  }

  @Override
  public int status() {
    return response.status().code();
  }

  @Override
  public void header(Header header) {
    response.header(header);
  }

  @Override
  public void send(byte[] body) {
    response.send(body);
  }

  @Override
  public OutputStream stream() {
    streaming = true;
    return response.outputStream();
  }

  @Override
  public boolean sent() {
    return streaming || response.isSent();
  }
}
