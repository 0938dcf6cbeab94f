package dev.baton.transport;

import dev.baton.UpstreamException;
import dev.baton.UpstreamTimeoutException.Phase;
import dev.baton.provider.Call;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP client every provider shares: one JDK {@link HttpClient} on virtual threads, with pooled
 * keep-alive connections. It keeps each attempt's time limits and turns every network failure into the
 * {@link UpstreamException} family; what the upstream said in a status and body is the provider's to read.
 */
public final class HttpTransport implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final ExecutorService executor;
  private final HttpClient client;
  /** Plain-http upstreams: blocking HTTP/1.1 on the caller's (virtual) thread; see {@link Http1Client}. */
  private final Http1Client plain = new Http1Client(CONNECT_TIMEOUT.toMillis());

  public HttpTransport() {
    this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("baton-http-", 0).factory());
    this.client = HttpClient.newBuilder()
        .executor(executor)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * A request builder for {@code uri}. Plain-HTTP upstreams get HTTP/1.1: the JDK's h2c upgrade attempt
   * breaks servers such as vLLM's and other FastAPI-based ones.
   */
  public static HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    if ("http".equalsIgnoreCase(uri.getScheme())) {
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    return builder;
  }

  /** A request body of these bytes, for the builders of {@link #request}. */
  public static HttpRequest.BodyPublisher body(byte[] bytes) {
    return new Bytes(bytes);
  }

  /**
   * A body that the plain-HTTP client sends as the bytes it holds; the JDK client subscribes to it like
   * to {@link HttpRequest.BodyPublishers#ofByteArray}.
   */
  record Bytes(byte[] bytes) implements HttpRequest.BodyPublisher {
    @Override
    public long contentLength() {
      return bytes.length;
    }

    @Override
    public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
      HttpRequest.BodyPublishers.ofByteArray(bytes).subscribe(subscriber);
    }
  }

  /** Sends a request and reads the whole answer within the attempt's response deadline. */
  public HttpResult send(Call call, HttpRequest original) {
    HttpRequest request = withAttemptHeaders(call, original);
    if (Http1Client.handles(request)) {
      long deadline = call.responseDeadline();
      try {
        Http1Client.Response response = plain.exchange(request, deadline);
        byte[] body = response.body().readAll(Integer.MAX_VALUE - 16);
        return new HttpResult(response.status(), response.headers(), body);
      } catch (IOException e) {
        throw plainFailure(call, e, deadline, Phase.RESPONSE);
      }
    }
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response = await(call, future, call.responseDeadline(), Phase.RESPONSE);
    return new HttpResult(response.statusCode(), response::headers, response.body());
  }

  /**
   * Sends a request whose answer is streamed, returning once the headers are in (within the first-token
   * deadline). The caller reads the body and must close the stream.
   */
  public HttpStream stream(Call call, HttpRequest original) {
    HttpRequest request = withAttemptHeaders(call, original);
    if (Http1Client.handles(request)) {
      long deadline = call.firstTokenDeadline();
      try {
        Http1Client.Response response = plain.exchange(request, deadline);
        Http1Client.Body body = response.body();
        body.deadline(Long.MAX_VALUE); // from here on the stream's watchdog keeps the time limits
        return new HttpStream(call, response.status(), response.headers(), body);
      } catch (IOException e) {
        throw plainFailure(call, e, deadline, Phase.FIRST_TOKEN);
      }
    }
    CompletableFuture<HttpResponse<InputStream>> future = client.sendAsync(request, info -> new StreamingBody());
    HttpResponse<InputStream> response = await(call, future, call.firstTokenDeadline(), Phase.FIRST_TOKEN);
    return new HttpStream(call, response.statusCode(), response::headers, response.body());
  }

  /** The request with the attempt's own headers ({@link Call#header}), which replace any of the same name. */
  static HttpRequest withAttemptHeaders(Call call, HttpRequest request) {
    java.util.Map<String, String> added = call.headers();
    if (added.isEmpty()) {
      return request;
    }
    HttpRequest.Builder copy = HttpRequest.newBuilder(request, (name, value) -> !containsIgnoreCase(added, name));
    added.forEach(copy::setHeader);
    return copy.build();
  }

  private static boolean containsIgnoreCase(java.util.Map<String, String> headers, String name) {
    for (String added : headers.keySet()) {
      if (added.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  private static <T> T await(Call call, CompletableFuture<T> future, long deadline, Phase phase) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw call.timedOut(phase, deadline);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for " + call.deployment());
    } catch (ExecutionException e) {
      throw networkFailure(call, e.getCause(), deadline, phase);
    }
  }

  private static UpstreamException plainFailure(Call call, IOException e, long deadline, Phase phase) {
    if (Thread.currentThread().isInterrupted()) {
      throw new CancellationException("interrupted while waiting for " + call.deployment());
    }
    if (e instanceof Http1Client.ConnectTimeoutException) {
      return call.connectionFailed("could not connect within " + CONNECT_TIMEOUT.toSeconds() + "s", e);
    }
    if (e instanceof java.net.SocketTimeoutException) {
      return call.timedOut(phase, deadline);
    }
    return networkFailure(call, e, deadline, phase);
  }

  private static UpstreamException networkFailure(Call call, Throwable cause, long deadline, Phase phase) {
    if (cause instanceof HttpConnectTimeoutException) {
      return call.connectionFailed("could not connect within " + CONNECT_TIMEOUT.toSeconds() + "s", cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return call.timedOut(phase, deadline);
    }
    if (cause instanceof ConnectException) {
      return call.connectionFailed("connection refused", cause);
    }
    if (cause instanceof IOException io) {
      return call.connectionFailed("connection failed: " + HttpStream.describe(io), cause);
    }
    return call.connectionFailed("request failed: " + cause, cause);
  }

  /** Closes every pooled connection and stops the client's threads. */
  @Override
  public void close() {
    plain.close();
    client.shutdownNow();
    executor.shutdownNow();
    try {
      client.awaitTermination(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
