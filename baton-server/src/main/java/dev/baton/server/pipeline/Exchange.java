package dev.baton.server.pipeline;

import dev.baton.Attempt;
import dev.baton.BatonException;
import dev.baton.Usage;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request on its way through the {@link Pipeline}: the HTTP call, what the filters learnt about it
 * (its id, the caller, the model asked for) and, once answered, how it ended (the deployment that answered,
 * the attempts, the usage, the status, the error, the cache). Each kind of state is a typed field here;
 * a filter's own state goes in an {@link Attribute}.
 *
 * <p>The exchange is also the pipeline's {@link Filter.Chain}: it keeps its place in the list of filters,
 * so running a request allocates nothing beyond this object.
 */
public final class Exchange implements Filter.Chain {

  private static final Logger log = LoggerFactory.getLogger(Exchange.class);
  private static final String CLIENT_GONE = "client_disconnected";

  /** Reads a request's body within the limits of the pipeline; set by the {@link BodyLimit} filter. */
  public interface BodySource {
    byte[] read(HttpCall http) throws IOException;
  }

  private final HttpCall http;
  private final String route;
  private final Endpoint endpoint;
  private final Filter[] filters;
  private final long startNanos = System.nanoTime();
  private int next;

  private @Nullable String requestId;
  private @Nullable Caller caller;
  private @Nullable BodySource bodySource;
  private byte @Nullable [] body;
  private @Nullable String model;
  private boolean stream;
  private @Nullable Object request;

  private @Nullable String servedBy;
  private List<Attempt> attempts = List.of();
  private int upstreamAttempts;
  private @Nullable Usage usage;
  private @Nullable Runnable onAnswered;
  private @Nullable String error;
  private @Nullable CacheStatus cache;
  private boolean keepContent;
  private @Nullable String answerContent;
  private Object @Nullable [] attributes;

  /**
   * @param route the route's name in metrics and logs, such as {@code /v1/models/{model}}
   * @param filters run in this order, then the endpoint
   */
  Exchange(HttpCall http, String route, Endpoint endpoint, Filter[] filters) {
    this.http = http;
    this.route = route;
    this.endpoint = endpoint;
    this.filters = filters;
  }

  @Override
  public void proceed() {
    int at = next++;
    try {
      if (at < filters.length) {
        filters[at].handle(this, this);
      } else {
        endpoint.answer(this);
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
    }
  }

  /**
   * Answers a failure in the route's protocol, if the answer has not started, and records it: a
   * {@link GatewayError} as the gateway's refusal, a {@link BatonException} as the router's failure, an
   * I/O failure as the caller gone, anything else as the gateway's own fault (500, logged).
   */
  void fail(Exception e) {
    if (e instanceof GatewayError refusal) {
      error = refusal.code() != null ? refusal.code() : refusal.type();
      if (!http.sent()) {
        refusal.headers().forEach(http::header);
      }
      sendError(refusal.status(), endpoint.errors().body(refusal), refusal.retryAfter(), refusal.closeConnection());
    } else if (e instanceof BatonException failure) {
      failed(failure);
      sendError(failure.status(), endpoint.errors().body(failure), failure.retryAfter().orElse(null), false);
    } else if (e instanceof IOException || e instanceof UncheckedIOException) {
      // The caller went away or broke off its request: there is most likely no one left to answer.
      error = CLIENT_GONE;
      sendError(400, endpoint.errors().body(new GatewayError(400, "invalid_request_error", CLIENT_GONE,
          "The request could not be read", null, true)), null, true);
    } else {
      log.error("unexpected failure handling {} {}", http.method(), route, e);
      error = "internal_error";
      sendError(500, endpoint.errors().body(new GatewayError(500, "server_error", "internal_error",
          "The gateway failed unexpectedly; see its log", null, false)), null, false);
    }
  }

  private void sendError(int status, byte[] body, @Nullable Duration retryAfter, boolean closeConnection) {
    if (http.sent()) {
      return;
    }
    try {
      http.status(status);
      http.header(HeaderValues.CONTENT_TYPE_JSON);
      if (retryAfter != null) {
        http.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
      }
      if (closeConnection) {
        http.header(HeaderValues.CONNECTION_CLOSE);
      }
      http.send(body);
    } catch (UncheckedIOException gone) {
      error = CLIENT_GONE;
    }
  }

  // What the request is.

  public HttpCall http() {
    return http;
  }

  public String method() {
    return http.method();
  }

  /** The route's name in metrics and logs, such as {@code /v1/chat/completions}, whichever alias was called. */
  public String route() {
    return route;
  }

  /** The route's endpoint: its front door. */
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The request's id, sent back as {@code x-request-id}; null before the {@link RequestId} filter. */
  public @Nullable String requestId() {
    return requestId;
  }

  public void requestId(String id) {
    this.requestId = id;
  }

  /** Who is calling; null until a filter has authenticated the request. */
  public @Nullable Caller caller() {
    return caller;
  }

  public void caller(Caller caller) {
    this.caller = caller;
  }

  /** Where {@link #body()} reads from: the pipeline's body limit. */
  public void bodySource(BodySource source) {
    this.bodySource = source;
  }

  /**
   * The request body, read on first use within the pipeline's limits (its size and read deadline).
   *
   * @throws IllegalStateException if the pipeline has no {@link BodyLimit}: no body is read without one
   */
  public byte[] body() throws IOException {
    if (body == null) {
      if (bodySource == null) {
        throw new IllegalStateException("a pipeline that reads bodies needs a BodyLimit filter");
      }
      body = bodySource.read(http);
    }
    return body;
  }

  /** The request body if it has been read, else null; unlike {@link #body()} it never reads it. */
  public byte @Nullable [] bodyIfRead() {
    return body;
  }

  /**
   * Records what the front door read: the public model asked for, whether the caller wants a stream and
   * the router's request (a {@code ChatRequest}, {@code CompletionRequest} or {@code EmbeddingRequest}).
   */
  public void request(String model, boolean stream, Object request) {
    this.model = model;
    this.stream = stream;
    this.request = request;
  }

  /** The public model name asked for; null until the door has read the request, or for routes without one. */
  public @Nullable String model() {
    return model;
  }

  /** Whether the caller asked for a stream. */
  public boolean stream() {
    return stream;
  }

  /** The router's request the door read, or null before it has. */
  public @Nullable Object request() {
    return request;
  }

  // How it ended.

  /**
   * Records who is answering a stream as it starts: the public name of the model, and the attempt trail so
   * far. The stream's end is recorded by {@link #answered}.
   */
  public void streamStarted(String publicModel, List<Attempt> trail) {
    servedBy = trail.isEmpty() ? publicModel : trail.get(trail.size() - 1).deployment();
    attempts = trail;
    upstreamAttempts = upstreamAttempts(trail);
  }

  /**
   * Records the answer in full: the public name of the model that answered, the attempt trail and the usage
   * if it is known. A door calls it once the answer is known and before its last bytes go out (a whole
   * answer's body, a stream's closing event), so what {@link #whenAnswered} hooks do happens before the caller
   * can send its next request.
   */
  public void answered(String publicModel, List<Attempt> trail, @Nullable Usage used) {
    streamStarted(publicModel, trail);
    if (used != null && cache != CacheStatus.HIT && cache != CacheStatus.SEMANTIC_HIT) {
      usage = used; // an answer from the cache used no tokens: it is counted and costs nothing
    }
    Runnable hooks = onAnswered;
    onAnswered = null;
    if (hooks != null) {
      hooks.run();
    }
  }

  /**
   * Runs {@code hook} once, when the door records the whole answer ({@link #answered}) — before the caller
   * has all of it. A filter that must count an answer before the caller's next request can be let in (a
   * budget) registers here; whatever does not end in an answer it settles itself after {@code proceed()}.
   */
  public void whenAnswered(Runnable hook) {
    Runnable before = onAnswered;
    onAnswered = before == null ? hook : () -> {
      before.run();
      hook.run();
    };
  }

  /** Records a failure of the router: before the answer started, or a stream that broke and ended with an error event. */
  public void failed(BatonException e) {
    attempts = e.attempts();
    upstreamAttempts = upstreamAttempts(e.attempts());
    error = e.code() != null ? e.code() : e.type();
  }

  /** Records that the caller went away before the answer was over. */
  public void clientGone() {
    error = CLIENT_GONE;
  }

  /** Whether the caller went away, so there was no one left to answer. */
  boolean callerGone() {
    return CLIENT_GONE.equals(error);
  }

  /** The deployment that answered (for a stream, the last one, after a failover); null if none did. */
  public @Nullable String servedBy() {
    return servedBy;
  }

  /** Every attempt of the request, in order. */
  public List<Attempt> attempts() {
    return attempts;
  }

  /** How many attempts went upstream. */
  public int upstreamAttempts() {
    return upstreamAttempts;
  }

  /**
   * The usage the answering model reported, once known (for a stream, at its end); null otherwise, and for
   * an answer from the response cache, which used no tokens.
   */
  public @Nullable Usage usage() {
    return usage;
  }

  /** The answer's HTTP status; a stream that broke after it started is a 200 with an {@link #error()}. */
  public int status() {
    return http.status();
  }

  /** What went wrong, as an error code such as {@code invalid_api_key} or {@code client_disconnected}; null if nothing. */
  public @Nullable String error() {
    return error;
  }

  public @Nullable CacheStatus cache() {
    return cache;
  }

  public void cache(CacheStatus status) {
    this.cache = status;
  }

  /** Asks the front door to keep its answer's content for the request log ({@code logging.store_content}). */
  public void keepContent() {
    this.keepContent = true;
  }

  /** Whether the door keeps its answer's content ({@link #answerContent(String)}); off unless asked. */
  public boolean keepsContent() {
    return keepContent;
  }

  /** The answer as the caller got it — a JSON body, or a stream's text — when {@link #keepsContent()}. */
  public void answerContent(String content) {
    this.answerContent = content;
  }

  public @Nullable String answerContent() {
    return answerContent;
  }

  /** Nanoseconds since the request reached the pipeline. */
  public long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  // A filter's own state.

  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Attribute<T> key) {
    Object[] values = attributes;
    return values == null || key.index >= values.length ? null : (T) values[key.index];
  }

  public <T> void set(Attribute<T> key, @Nullable T value) {
    if (attributes == null) {
      attributes = new Object[Math.max(4, key.index + 1)];
    } else if (key.index >= attributes.length) {
      attributes = Arrays.copyOf(attributes, Math.max(attributes.length * 2, key.index + 1));
    }
    attributes[key.index] = value;
  }

  /** How many attempts of a trail went upstream (a skipped deployment did not). */
  public static int upstreamAttempts(List<Attempt> trail) {
    int n = 0;
    for (Attempt a : trail) {
      if (a.wentUpstream()) {
        n++;
      }
    }
    return n;
  }
}
