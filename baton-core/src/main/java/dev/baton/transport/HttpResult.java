package dev.baton.transport;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** A whole upstream answer: status, headers and body. */
public final class HttpResult {

  private final int status;
  private final Supplier<HttpHeaders> headers;
  private final byte[] body;

  /** @param headers the headers, which may be parsed only when asked for */
  HttpResult(int status, Supplier<HttpHeaders> headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public HttpHeaders headers() {
    return headers.get();
  }

  public byte[] body() {
    return body;
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
