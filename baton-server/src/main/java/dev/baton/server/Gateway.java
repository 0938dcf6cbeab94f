package dev.baton.server;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.BatonException;
import dev.baton.BatonListener;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.CompletionRequest;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.Usage;
import dev.baton.config.BatonConfig;
import dev.baton.config.Environment;
import dev.baton.config.ServerConfig;
import dev.baton.transport.Watchdog;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiRequestReader;
import dev.baton.wire.OpenAiResponseWriter;
import dev.baton.wire.WireRequest;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible HTTP front door (contract section 3) over a {@link Baton}: the same router the
 * SDK uses, behind {@code /v1/chat/completions}, {@code /v1/completions}, {@code /v1/embeddings} and
 * {@code /v1/models}, plus {@code /health} and {@code /metrics}. Every answer names the model that gave
 * it ({@code x-baton-model}) and how many upstream attempts it took ({@code x-baton-attempts}); every
 * error, the gateway's own included, has OpenAI's shape.
 */
public final class Gateway implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final Logger access = LoggerFactory.getLogger("dev.baton.access");
  private static final HeaderName SERVED_BY = HeaderNames.create("x-baton-model");
  private static final HeaderName ATTEMPTS = HeaderNames.create("x-baton-attempts");
  /** The usual attempt counts' headers, made once: Helidon checks and encodes each header it is given. */
  private static final Header[] ATTEMPT_COUNTS = java.util.stream.IntStream.range(0, 16)
      .mapToObj(n -> HeaderValues.createCached(ATTEMPTS, n)).toArray(Header[]::new);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final Baton baton;
  private final ServerConfig server;
  private final GatewayMetrics metrics;
  private final byte @Nullable [] masterKey;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long started = System.currentTimeMillis() / 1000;
  private final WebServer web;
  private volatile boolean draining;
  private final AccessLog accessLog = new AccessLog(access);

  @SuppressWarnings("removal") // validateRequestHostHeader, below
  private Gateway(Baton baton, ServerConfig server, GatewayMetrics metrics) {
    this.baton = baton;
    this.server = server;
    this.metrics = metrics;
    this.masterKey = server.masterKey() == null ? null
        : ("Bearer " + server.masterKey().reveal()).getBytes(StandardCharsets.UTF_8);
    this.web = WebServer.builder()
        .host(server.host())
        .port(server.port())
        .shutdownHook(false)
        .connectionOptions(socket -> socket.tcpNoDelay(true))
        // The gateway never reads Host, so checking its syntax (a regular expression per request, 0.6% of
        // the gateway's CPU) buys nothing. Helidon 4.5 deprecates the switch without a replacement; at an
        // upgrade that removes it, this line goes.
        // Every response header the gateway sets is a constant, a number or a model name, and the config
        // refuses names with control characters: checking each header again for every answer (0.75% of the
        // gateway's CPU) buys nothing. Request headers are still checked.
        .addProtocol(io.helidon.webserver.http1.Http1Config.builder()
            .validateRequestHostHeader(false)
            .validateResponseHeaders(false)
            .build())
        .routing(this::routes)
        .build();
  }

  /**
   * Starts a gateway for a configuration: builds its Baton (creating every provider, so a missing key
   * fails here) and listens on {@code server.host:server.port} (port 0 picks a free one).
   *
   * @param listeners extra listeners for the router's events, beside the gateway's metrics
   */
  public static Gateway start(BatonConfig config, Environment environment, List<BatonListener> listeners) {
    GatewayMetrics metrics = new GatewayMetrics();
    Baton.Builder builder = Baton.builder().config(config).environment(environment).listener(metrics);
    listeners.forEach(builder::listener);
    Baton baton = builder.build();
    Gateway gateway = new Gateway(baton, config.server(), metrics);
    try {
      gateway.web.start();
    } catch (RuntimeException e) {
      baton.close();
      throw e;
    }
    return gateway;
  }

  /** The port the gateway listens on. */
  public int port() {
    return web.port();
  }

  /** The base URL, such as {@code http://127.0.0.1:4000}. */
  public String url() {
    String host = server.host().equals("0.0.0.0") ? "127.0.0.1" : server.host();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  /** The public model names served. */
  public List<String> models() {
    return baton.models();
  }

  /**
   * Stops gracefully: new requests get 503 at once, in-flight requests and streams may finish within
   * {@code grace}, then the server and every upstream connection close.
   */
  public void shutdown(Duration grace) {
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      log.warn("shutting down with {} requests still in flight after the {}s grace period", inFlight.get(),
          grace.toSeconds());
    }
    web.stop();
    accessLog.close();
    baton.close();
  }

  @Override
  public void close() {
    shutdown(Duration.ZERO);
  }

  private void routes(HttpRouting.Builder routing) {
    for (String prefix : List.of("/v1", "")) {
      routing.post(prefix + "/chat/completions", api("/v1/chat/completions", this::chat));
      routing.post(prefix + "/completions", api("/v1/completions", this::completion));
      routing.post(prefix + "/embeddings", api("/v1/embeddings", this::embedding));
      routing.get(prefix + "/models", api("/v1/models", this::modelList));
      routing.get(prefix + "/models/{model}", api("/v1/models/{model}", this::model));
      for (String post : List.of("/chat/completions", "/completions", "/embeddings")) {
        routing.any(prefix + post, refuse(method -> GatewayError.methodNotAllowed(method, post, "POST")));
      }
    }
    routing.get("/health", (req, res) -> res.header(HeaderValues.CONTENT_TYPE_JSON)
        .send("{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8)));
    routing.get("/metrics", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .send(metrics.scrape().getBytes(StandardCharsets.UTF_8)));
    routing.any(refuse(method -> null));
  }

  /** One API call's work; it answers through {@code res} and records what it did in {@code exchange}. */
  @FunctionalInterface
  private interface Call {
    void handle(ServerRequest req, ServerResponse res, Exchange exchange) throws IOException;
  }

  private Handler api(String route, Call call) {
    return (req, res) -> {
      Exchange exchange = new Exchange(req.prologue().method().text(), route);
      inFlight.incrementAndGet();
      try {
        if (draining) {
          throw GatewayError.shuttingDown();
        }
        authorize(req);
        call.handle(req, res, exchange);
      } catch (GatewayError e) {
        sendError(res, e.status, OpenAiResponseWriter.error(e.getMessage(), e.type, null, e.code), null,
            e.closeConnection);
        exchange.error = e.code;
      } catch (BatonException e) {
        exchange.failed(e);
        sendError(res, e.status(), OpenAiResponseWriter.error(e), e.retryAfter().orElse(null), false);
      } catch (RuntimeException e) {
        log.error("unexpected failure handling {} {}", exchange.method, route, e);
        exchange.error = "internal_error";
        sendError(res, 500, OpenAiResponseWriter.error("The gateway failed unexpectedly; see its log",
            "server_error", null, "internal_error"), null, false);
      } finally {
        inFlight.decrementAndGet();
        exchange.finish(res.status().code());
      }
    };
  }

  private static Handler refuse(Function<String, @Nullable GatewayError> error) {
    return (req, res) -> {
      String method = req.prologue().method().text();
      GatewayError e = error.apply(method);
      if (e == null) {
        e = GatewayError.unknownRoute(method, req.path().path());
      }
      sendError(res, e.status, OpenAiResponseWriter.error(e.getMessage(), e.type, null, e.code), null, false);
    };
  }

  private void authorize(ServerRequest req) {
    if (masterKey == null) {
      return;
    }
    byte[] given = req.headers().first(HeaderNames.AUTHORIZATION).orElse("").getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, masterKey)) {
      throw GatewayError.unauthorized();
    }
  }

  /** Reads the body, refusing more than {@code max_body} bytes without reading the rest of it. */
  private byte[] body(ServerRequest req) throws IOException {
    long max = server.maxBody();
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > max) {
      throw GatewayError.bodyTooLarge(max);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    InputStream in = req.content().inputStream();
    if (declared.isPresent()) {
      // The usual case: read exactly the declared length into one array of that size.
      int length = (int) declared.getAsLong();
      return withReadDeadline(() -> {
        byte[] body = new byte[length];
        int n = in.readNBytes(body, 0, length);
        // Reading the end too marks the entity consumed; otherwise Helidon drains it after the handler
        // with a buffer of its own, allocated for every request.
        in.read();
        return n == length ? body : java.util.Arrays.copyOf(body, n);
      });
    }
    byte[] body = withReadDeadline(() -> in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 16)));
    if (body.length > max) {
      throw GatewayError.bodyTooLarge(max);
    }
    return body;
  }

  private interface Read<T> {
    T read() throws IOException;
  }

  /**
   * Reads with {@code server.read_timeout} as a deadline, kept by the {@link Watchdog}. Helidon applies
   * no read timeout to the connections it accepts, and a client that never finishes its body would hold
   * its thread forever; interrupting a virtual thread blocked in channel I/O closes the channel, so the
   * slow client loses its connection and the thread is free.
   */
  private <T> T withReadDeadline(Read<T> read) throws IOException {
    BodyRead current = BodyRead.ofThisThread();
    current.start(System.nanoTime() + server.readTimeout().toNanos());
    try {
      return read.read();
    } catch (IOException | RuntimeException e) {
      if (!current.reading()) {
        throw GatewayError.slowClient(server.readTimeout());
      }
      throw e;
    } finally {
      current.finish();
    }
  }

  /**
   * The body reads of one connection's thread, one at a time: the deadline of the read under way, and
   * whether the watchdog has cut it off. Helidon serves each connection on a thread of its own, so each
   * such thread is watched from its first body read until it ends: a read costs a few writes here instead
   * of an addition to and a removal from the watchdog's set.
   */
  private static final class BodyRead implements Watchdog.Watched {
    // The state is a read's number times four plus its phase, so the watchdog can claim only the read
    // whose deadline it looked at, never the next one on the same connection.
    private static final long IDLE = 0;
    private static final long READING = 1;
    private static final long CLAIMED = 2;
    private static final long INTERRUPTED = 3;
    private static final long PHASE = 3;
    private static final ThreadLocal<BodyRead> OF_THREAD = ThreadLocal.withInitial(() -> {
      BodyRead read = new BodyRead(Thread.currentThread());
      Watchdog.watch(read);
      return read;
    });

    private final Thread thread;
    private final java.util.concurrent.atomic.AtomicLong state = new java.util.concurrent.atomic.AtomicLong(IDLE);
    /** Written before the state says {@link #READING}, so a look that sees a read sees its deadline. */
    private volatile long deadline;

    private BodyRead(Thread thread) {
      this.thread = thread;
    }

    static BodyRead ofThisThread() {
      return OF_THREAD.get();
    }

    void start(long deadline) {
      this.deadline = deadline;
      state.set((state.get() & ~PHASE) + 4 + READING);
    }

    boolean reading() {
      return (state.get() & PHASE) == READING;
    }

    void finish() {
      long s = state.get();
      if ((s & PHASE) == READING && state.compareAndSet(s, s - READING + IDLE)) {
        return;
      }
      // The watchdog claimed this read: wait until its interrupt has landed, then clear it before the
      // thread serves anything else.
      while ((state.get() & PHASE) != INTERRUPTED) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      state.set(state.get() - INTERRUPTED + IDLE);
    }

    /** Interrupts a read past its deadline, unless it has just finished; lets go once the thread has ended. */
    @Override
    public boolean check(long now) {
      long s = state.get();
      if ((s & PHASE) == READING && now - deadline >= 0 && state.compareAndSet(s, s - READING + CLAIMED)) {
        thread.interrupt();
        state.set(s - READING + INTERRUPTED);
      }
      return thread.isAlive();
    }
  }

  private void chat(ServerRequest req, ServerResponse res, Exchange exchange) throws IOException {
    WireRequest<ChatRequest> wire = OpenAiRequestReader.chat(body(req));
    exchange.model = wire.request().model();
    if (wire.stream()) {
      stream(res, exchange, baton.stream(wire.request()), false);
      return;
    }
    ChatResponse answer = baton.chat(wire.request());
    exchange.answered(answer.model(), answer.attempts(), answer.usage());
    sendAnswer(res, OpenAiResponseWriter.chat(answer), answer.model(), answer.attempts());
  }

  private void completion(ServerRequest req, ServerResponse res, Exchange exchange) throws IOException {
    WireRequest<CompletionRequest> wire = OpenAiRequestReader.completion(body(req));
    exchange.model = wire.request().model();
    if (wire.stream()) {
      stream(res, exchange, baton.streamCompletion(wire.request()), true);
      return;
    }
    CompletionResponse answer = baton.complete(wire.request());
    exchange.answered(answer.model(), answer.attempts(), answer.usage());
    sendAnswer(res, OpenAiResponseWriter.completion(answer), answer.model(), answer.attempts());
  }

  private void embedding(ServerRequest req, ServerResponse res, Exchange exchange) throws IOException {
    WireRequest<EmbeddingRequest> wire = OpenAiRequestReader.embedding(body(req));
    exchange.model = wire.request().model();
    EmbeddingResponse answer = baton.embed(wire.request());
    exchange.answered(answer.model(), answer.attempts(), answer.usage());
    byte[] json = OpenAiResponseWriter.embedding(answer, OpenAiRequestReader.wantsBase64(wire.request()));
    sendAnswer(res, json, answer.model(), answer.attempts());
  }

  private void modelList(ServerRequest req, ServerResponse res, Exchange exchange) {
    byte[] json = Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("object", "list");
      gen.writeArrayFieldStart("data");
      for (String model : baton.models()) {
        writeModel(gen, model);
      }
      gen.writeEndArray();
      gen.writeEndObject();
    });
    res.header(HeaderValues.CONTENT_TYPE_JSON).send(json);
  }

  private void model(ServerRequest req, ServerResponse res, Exchange exchange) {
    String name = req.path().pathParameters().get("model");
    if (!baton.models().contains(name)) {
      throw new dev.baton.UnknownModelException(name, baton.models());
    }
    res.header(HeaderValues.CONTENT_TYPE_JSON).send(Json.write(gen -> writeModel(gen, name)));
  }

  private void writeModel(com.fasterxml.jackson.core.JsonGenerator gen, String model) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("id", model);
    gen.writeStringField("object", "model");
    gen.writeNumberField("created", started);
    gen.writeStringField("owned_by", "baton");
    gen.writeEndObject();
  }

  /**
   * Forwards a stream chunk by chunk, flushing each as it arrives. An answer that breaks and cannot be
   * completed ends with an error event and no {@code [DONE]}; a client that goes away closes the
   * upstream connection.
   */
  private void stream(ServerResponse res, Exchange exchange, ChatStream stream, boolean completion) {
    exchange.answered(stream.model(), stream.attempts(), null);
    res.status(Status.OK_200);
    res.header(HeaderValues.CONTENT_TYPE_EVENT_STREAM);
    res.header(HeaderNames.CACHE_CONTROL, "no-cache");
    res.header(HeaderValues.create(SERVED_BY, stream.model()));
    res.header(attemptsHeader(streamAttempts(stream.attempts())));
    try (stream; OutputStream out = res.outputStream()) {
      try {
        for (ChatChunk chunk : stream) {
          out.write(DATA);
          out.write(completion ? OpenAiResponseWriter.completionChunk(chunk) : OpenAiResponseWriter.chatChunk(chunk));
          out.write(EVENT_END);
          out.flush();
        }
        out.write(DONE);
        out.flush();
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
      } catch (BatonException e) {
        exchange.failed(e);
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        out.write(DATA);
        out.write(OpenAiResponseWriter.error(e));
        out.write(EVENT_END);
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // The client went away; closing the stream above has already closed the upstream connection.
      exchange.error = "client_disconnected";
    }
  }

  private static void sendAnswer(ServerResponse res, byte[] json, String model, List<Attempt> attempts) {
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    res.header(HeaderValues.create(SERVED_BY, model));
    res.header(attemptsHeader(upstreamAttempts(attempts)));
    res.send(json);
  }

  private static Header attemptsHeader(int attempts) {
    return attempts < ATTEMPT_COUNTS.length ? ATTEMPT_COUNTS[attempts] : HeaderValues.create(ATTEMPTS, attempts);
  }

  private static void sendError(
      ServerResponse res, int status, byte[] body, @Nullable Duration retryAfter, boolean closeConnection) {
    if (res.isSent()) {
      return;
    }
    res.status(Status.create(status));
    res.header(HeaderValues.CONTENT_TYPE_JSON);
    if (retryAfter != null) {
      res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }
    if (closeConnection) {
      res.header(HeaderNames.CONNECTION, "close");
    }
    res.send(body);
  }

  /**
   * The upstream attempts of a stream that has started answering. The answering attempt is recorded only
   * when its stream ends, so unless it already has (an empty answer), it is counted here.
   */
  static int streamAttempts(List<Attempt> attempts) {
    boolean answerRecorded = !attempts.isEmpty()
        && attempts.get(attempts.size() - 1).outcome() == Attempt.Outcome.SUCCEEDED;
    return upstreamAttempts(attempts) + (answerRecorded ? 0 : 1);
  }

  static int upstreamAttempts(List<Attempt> attempts) {
    int n = 0;
    for (Attempt a : attempts) {
      if (a.wentUpstream()) {
        n++;
      }
    }
    return n;
  }

  /** What one request did, for its access-log line and metrics. */
  private final class Exchange {
    final String method;
    final String route;
    final long start = System.nanoTime();
    @Nullable String model;
    @Nullable String servedBy;
    int attempts;
    @Nullable Usage usage;
    @Nullable String error;

    Exchange(String method, String route) {
      this.method = method;
      this.route = route;
    }

    void answered(String publicModel, List<Attempt> trail, @Nullable Usage used) {
      servedBy = trail.isEmpty() ? publicModel : trail.get(trail.size() - 1).deployment();
      attempts = upstreamAttempts(trail);
      if (used != null) {
        usage = used;
      }
    }

    void failed(BatonException e) {
      attempts = upstreamAttempts(e.attempts());
      error = e.code() != null ? e.code() : e.type();
    }

    void finish(int status) {
      long nanos = System.nanoTime() - start;
      metrics.request(route, model, status, nanos, usage);
      if (accessLog.enabled()) {
        accessLog.add(new AccessLog.Line(method, route, status, model, servedBy, attempts, nanos, error));
      }
    }
  }

  /**
   * The access log, written behind the requests: a request only queues its line (lock-free); one thread
   * formats and writes the lines, a few milliseconds later, so no request waits on stderr or its lock.
   * If the writer falls more than {@value #MAX_QUEUED} lines behind, lines are dropped and counted, and
   * the count is logged.
   */
  static final class AccessLog implements AutoCloseable {
    record Line(String method, String route, int status, @Nullable String model, @Nullable String servedBy,
        int attempts, long nanos, @Nullable String error) {}

    private static final int MAX_QUEUED = 65_536;
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Logger log;
    private final java.util.concurrent.ConcurrentLinkedQueue<Line> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private final @Nullable Thread writer;
    private volatile boolean closed;

    AccessLog(Logger log) {
      this.log = log;
      this.writer = log.isInfoEnabled()
          ? Thread.ofPlatform().daemon().name("baton-access-log").start(this::write)
          : null;
    }

    boolean enabled() {
      return writer != null && log.isInfoEnabled();
    }

    void add(Line line) {
      if (queued.incrementAndGet() > MAX_QUEUED) {
        queued.decrementAndGet();
        dropped.incrementAndGet();
        return;
      }
      queue.offer(line);
    }

    private void write() {
      StringBuilder text = new StringBuilder(160);
      while (true) {
        Line l = queue.poll();
        if (l == null) {
          long lost = dropped.getAndSet(0);
          if (lost > 0) {
            log.warn("{} access lines were dropped: the log could not keep up", lost);
          }
          if (closed) {
            return;
          }
          java.util.concurrent.locks.LockSupport.parkNanos(IDLE_WAIT_NANOS);
          continue;
        }
        queued.decrementAndGet();
        try {
          log.info(format(l, text));
        } catch (RuntimeException e) {
          // A broken log must not stop the writer.
        }
      }
    }

    /**
     * The line's text, built here rather than by a {@code {}} pattern, which would box the numbers and
     * scan the pattern for every line.
     */
    static String format(Line l, StringBuilder text) {
      text.setLength(0);
      text.append(l.method).append(' ').append(l.route).append(' ').append(l.status)
          .append(" model=").append(l.model == null ? "-" : l.model)
          .append(" served_by=").append(l.servedBy == null ? "-" : l.servedBy)
          .append(" attempts=").append(l.attempts)
          .append(" latency=").append(TimeUnit.NANOSECONDS.toMillis(l.nanos)).append("ms");
      if (l.error != null) {
        text.append(" error=").append(l.error);
      }
      return text.toString();
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
      closed = true;
      if (writer != null) {
        java.util.concurrent.locks.LockSupport.unpark(writer);
        try {
          writer.join(2000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
