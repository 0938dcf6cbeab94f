package dev.baton.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A blocking HTTP/1.1 client for plain-{@code http} upstreams (vLLM, Ollama, llama.cpp, a sidecar or a
 * fake on the same host), with pooled keep-alive connections. On virtual threads a blocking socket
 * costs nothing while it waits, and each exchange stays on its caller's thread: no selector thread, no
 * hand-offs, no wake-ups, no locks. The JDK's {@code HttpClient}, which does all of those per request,
 * stays in charge of {@code https} (TLS, HTTP/2).
 *
 * <p>Failures are {@link IOException}s, as the JDK client's are; {@link HttpTransport} turns them into the
 * {@link dev.baton.UpstreamException} family. A request on a pooled connection that the server had
 * closed is sent again once on a new connection, when nothing of an answer had arrived.
 */
final class Http1Client implements AutoCloseable {

  /** Idle connections kept per host; more are closed when they are given back. */
  private static final int MAX_IDLE_PER_HOST = 512;
  /** Each connection's read buffer: small, since a gateway may hold thousands of streams open. */
  private static final int BUFFER = 8 * 1024;
  private static final int MAX_HEAD = 64 * 1024;
  private static final long NO_DEADLINE = Long.MAX_VALUE;
  private static final long EXPIRED = Long.MIN_VALUE;
  private static final java.lang.invoke.VarHandle DEADLINE;

  static {
    try {
      DEADLINE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Connection.class, "deadline", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ConcurrentHashMap<String, Pool> idle = new ConcurrentHashMap<>();
  private final long connectTimeoutMillis;
  private volatile boolean closed;

  Http1Client(long connectTimeoutMillis) {
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** Whether this client takes the request: plain http, HTTP/1.1. */
  static boolean handles(HttpRequest request) {
    return "http".equalsIgnoreCase(request.uri().getScheme())
        && request.version().map(v -> v == java.net.http.HttpClient.Version.HTTP_1_1).orElse(false);
  }

  /** A connect that did not finish within the connect timeout. */
  static final class ConnectTimeoutException extends IOException {
    ConnectTimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A response's status and headers, and its body still on the connection. */
  record Response(int status, Supplier<HttpHeaders> headers, Body body) {}

  /**
   * Sends the request and reads the status and headers before {@code deadlineNanos}; the body is left
   * to the caller, who must read it to the end or close it. The deadline goes on applying to the body's
   * reads until {@link Body#deadline(long)} changes it.
   */
  Response exchange(HttpRequest request, long deadlineNanos) throws IOException {
    if (closed) {
      throw new IOException("the HTTP client is closed");
    }
    byte[] body = body(request);
    URI uri = request.uri();
    String key = key(uri);
    while (true) {
      Connection c = pooled(key);
      boolean reused = c != null;
      if (c == null) {
        c = connect(uri, key, deadlineNanos);
      }
      try {
        c.deadline(deadlineNanos);
        c.answered = false;
        try {
          c.send(request, body);
        } catch (IOException e) {
          throw c.failure(e);
        }
        return c.readResponse(request.method().equals("HEAD"));
      } catch (StaleConnectionException e) {
        c.close();
        if (!reused) {
          throw new EOFException("the server closed the connection without an answer");
        }
        // A pooled connection the server had already closed: send again on a fresh one.
      } catch (SocketTimeoutException e) {
        c.close();
        throw e;
      } catch (IOException e) {
        c.close();
        if (!reused || c.answered || Thread.currentThread().isInterrupted()) {
          throw e;
        }
        // Reset or broken pipe on a pooled connection before any answer: the server had let it go.
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    }
  }

  /** One host's idle connections, most recently used first (the least likely to have been let go). */
  private static final class Pool {
    final ConcurrentLinkedDeque<Connection> connections = new ConcurrentLinkedDeque<>();
    final java.util.concurrent.atomic.AtomicInteger size = new java.util.concurrent.atomic.AtomicInteger();

    @Nullable Connection poll() {
      Connection c = connections.pollFirst();
      if (c != null) {
        size.decrementAndGet();
      }
      return c;
    }
  }

  private @Nullable Connection pooled(String key) {
    Pool pool = idle.get(key);
    if (pool == null) {
      return null;
    }
    Connection c;
    while ((c = pool.poll()) != null) {
      if (!c.socket.isClosed()) {
        return c;
      }
    }
    return null;
  }

  private void release(Connection c) {
    if (closed) {
      c.close();
      return;
    }
    Pool pool = idle.computeIfAbsent(c.key, k -> new Pool());
    if (pool.size.incrementAndGet() > MAX_IDLE_PER_HOST) {
      pool.size.decrementAndGet();
      c.close();
      return;
    }
    pool.connections.offerFirst(c);
    if (closed && pool.connections.remove(c)) {
      c.close();
    }
  }

  private Connection connect(URI uri, String key, long deadlineNanos) throws IOException {
    int port = uri.getPort() < 0 ? 80 : uri.getPort();
    long left = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    int timeout = (int) Math.min(connectTimeoutMillis, Math.min(left, Integer.MAX_VALUE));
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setKeepAlive(true);
      socket.connect(new InetSocketAddress(uri.getHost(), port), timeout);
    } catch (SocketTimeoutException e) {
      socket.close();
      if (timeout < connectTimeoutMillis) {
        throw e; // the attempt's own deadline came first
      }
      throw new ConnectTimeoutException("could not connect within " + connectTimeoutMillis + " ms", e);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    return new Connection(key, socket);
  }

  private static String key(URI uri) {
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 80 : uri.getPort());
  }

  /**
   * Writes the request's head into {@code out} from its start.
   *
   * @return the head's length, or -1 if it does not fit
   */
  private static int head(HttpRequest request, byte[] out) {
    URI uri = request.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    Head h = new Head(out);
    h.put(request.method()).put(" ").put(path);
    if (uri.getRawQuery() != null) {
      h.put("?").put(uri.getRawQuery());
    }
    h.put(" HTTP/1.1\r\nHost: ").put(uri.getHost());
    if (uri.getPort() >= 0) {
      h.put(":").put(uri.getPort());
    }
    h.put("\r\n");
    boolean userAgent = false;
    for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
      String name = header.getKey();
      if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("host")
          || name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("transfer-encoding")) {
        continue;
      }
      userAgent |= name.equalsIgnoreCase("user-agent");
      for (String value : header.getValue()) {
        h.put(name).put(": ").put(value).put("\r\n");
      }
    }
    if (!userAgent) {
      h.put("User-Agent: baton\r\n");
    }
    long length = request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L);
    if (length > 0 || !request.method().equals("GET") && !request.method().equals("HEAD")) {
      h.put("Content-Length: ").put(Math.max(0, length)).put("\r\n");
    }
    h.put("\r\n");
    return h.length();
  }

  /** A request head being written into an array: text in UTF-8, with ASCII copied byte for byte. */
  private static final class Head {
    private final byte[] out;
    private int at;

    Head(byte[] out) {
      this.out = out;
    }

    Head put(String s) {
      int n = s.length();
      if (at < 0 || at + n > out.length) {
        at = -1;
        return this;
      }
      for (int i = 0; i < n; i++) {
        char ch = s.charAt(i);
        if (ch >= 0x80) {
          return putEncoded(s);
        }
        out[at + i] = (byte) ch;
      }
      at += n;
      return this;
    }

    private Head putEncoded(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      if (at + bytes.length > out.length) {
        at = -1;
      } else {
        System.arraycopy(bytes, 0, out, at, bytes.length);
        at += bytes.length;
      }
      return this;
    }

    Head put(long number) {
      return put(Long.toString(number));
    }

    int length() {
      return at;
    }
  }

  /** The request body: the bytes of an {@link HttpTransport#body} or what another publisher publishes. */
  private static byte @Nullable [] body(HttpRequest request) throws IOException {
    HttpRequest.BodyPublisher publisher = request.bodyPublisher().orElse(null);
    if (publisher == null || publisher.contentLength() == 0) {
      return null;
    }
    if (publisher instanceof HttpTransport.Bytes bytes) {
      return bytes.bytes(); // the providers' bodies: taken as they are, not copied through a subscription
    }
    if (publisher.contentLength() < 0) {
      throw new IOException("a request body of unknown length is not supported over plain HTTP/1.1");
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(publisher.contentLength(), 1 << 20));
    CompletableFuture<Void> done = new CompletableFuture<>();
    publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        if (item.hasArray()) {
          bytes.write(item.array(), item.arrayOffset() + item.position(), item.remaining());
        } else {
          byte[] copy = new byte[item.remaining()];
          item.get(copy);
          bytes.writeBytes(copy);
        }
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(null);
      }
    });
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while preparing the request body");
    } catch (ExecutionException e) {
      throw new IOException("the request body could not be read", e.getCause());
    }
    return bytes.toByteArray();
  }

  /** Closes every idle connection; connections in use close when their exchange ends. */
  @Override
  public void close() {
    closed = true;
    for (Pool pool : idle.values()) {
      Connection c;
      while ((c = pool.poll()) != null) {
        c.close();
      }
    }
  }

  /** The connection closed before any byte of an answer: on a pooled connection, the server had let it go. */
  private static final class StaleConnectionException extends IOException {
    StaleConnectionException() {
      super("connection closed before an answer");
    }
  }

  /**
   * One connection: its socket, a read buffer, and the deadline of the exchange under way, which the
   * {@link Watchdog} enforces by closing the socket: a socket timeout would make every read on a
   * virtual thread schedule and cancel a timer (see {@link Watchdog}).
   */
  private final class Connection {
    final String key;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    /** Read ahead from the socket: {@code [position, limit)} is yet to be consumed. */
    byte[] buffer = new byte[BUFFER];
    int position;
    int limit;
    /**
     * I/O must end by this {@link System#nanoTime()}; {@link #NO_DEADLINE}, or {@link #EXPIRED} once the
     * watchdog has closed the socket for being late. Set by the exchange's thread, expired by the watchdog's.
     */
    private volatile long deadline = NO_DEADLINE;
    private final Watchdog.Watched watched = this::expireIfLate;
    /**
     * Whether the watchdog looks at this connection. Once it does, it goes on doing so, between exchanges
     * too, until the connection is closed: adding and removing it for every exchange cost more (two
     * concurrent-set updates per request) than the watchdog's look at an idle connection's deadline.
     */
    private boolean watchedByWatchdog;
    /** Whether any byte of the current exchange's answer has arrived. */
    boolean answered;

    Connection(String key, Socket socket) throws IOException {
      this.key = key;
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    /**
     * Sets the deadline of the I/O that follows ({@link #NO_DEADLINE} for none).
     *
     * @throws SocketTimeoutException if the deadline before it has already passed and closed the socket
     */
    void deadline(long nanos) throws SocketTimeoutException {
      long current = deadline;
      if (current == EXPIRED || !DEADLINE.compareAndSet(this, current, nanos)) {
        throw new SocketTimeoutException("read timed out");
      }
      if (nanos != NO_DEADLINE && !watchedByWatchdog) {
        watchedByWatchdog = true;
        Watchdog.watch(watched);
      }
    }

    /** The watchdog's look: closes the socket under a read or write that is past its deadline. */
    private boolean expireIfLate(long now) {
      long d = deadline;
      if (d == EXPIRED) {
        return false;
      }
      if (d == NO_DEADLINE || now - d < 0 || !DEADLINE.compareAndSet(this, d, EXPIRED)) {
        return true; // none, not yet, or just changed by its owner
      }
      close();
      return false;
    }

    /** The exception for a failed read or write: a timeout if the watchdog caused it. */
    IOException failure(IOException e) {
      return deadline == EXPIRED ? new SocketTimeoutException("read timed out") : e;
    }

    void close() {
      Watchdog.unwatch(watched);
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing is best effort
      }
    }

    /**
     * Sends a request. Between exchanges the read buffer holds nothing, so a request that fits is composed
     * in it and sent in one write, one packet: nothing is allocated for it. A larger one goes out as its
     * head, then its body.
     */
    void send(HttpRequest request, byte @Nullable [] body) throws IOException {
      int bodyLength = body == null ? 0 : body.length;
      int headLength = -1;
      if (position == limit) {
        position = limit = 0;
        headLength = head(request, buffer);
      }
      if (headLength >= 0 && headLength + bodyLength <= buffer.length) {
        if (body != null) {
          System.arraycopy(body, 0, buffer, headLength, bodyLength);
        }
        out.write(buffer, 0, headLength + bodyLength);
        return;
      }
      byte[] head = headLength >= 0 ? buffer : new byte[MAX_HEAD];
      if (headLength < 0 && (headLength = head(request, head)) < 0) {
        throw new IOException("the request's head is larger than " + MAX_HEAD + " bytes");
      }
      out.write(head, 0, headLength);
      if (body != null) {
        out.write(body);
      }
    }

    /** Fills the buffer, which has been read to its limit; false at the end of the stream. */
    boolean fill() throws IOException {
      int n = read(0);
      if (n < 0) {
        return false;
      }
      position = 0;
      limit = n;
      return true;
    }

    /** Reads what has arrived into the buffer from {@code offset} on; -1 at the end of the stream. */
    private int read(int offset) throws IOException {
      long d = deadline;
      if (d == EXPIRED || d != NO_DEADLINE && System.nanoTime() - d >= 0) {
        throw new SocketTimeoutException("read timed out");
      }
      int n;
      try {
        n = in.read(buffer, offset, buffer.length - offset);
      } catch (IOException e) {
        throw failure(e);
      }
      if (n > 0) {
        answered = true;
      }
      return n;
    }

    Response readResponse(boolean head) throws IOException {
      while (true) {
        if (position == limit && !fill()) {
          throw new StaleConnectionException();
        }
        int end = bufferHead();
        ResponseHead h = ResponseHead.parse(buffer, position, end);
        position = end;
        if (h.status >= 100 && h.status < 200 && h.status != 101) {
          continue; // 100 Continue and other interim answers
        }
        Body body;
        if (head || h.status == 204 || h.status == 304) {
          body = new Body(this, Body.FIXED, 0, h.close);
        } else if (h.chunked) {
          body = new Body(this, Body.CHUNKED, 0, h.close);
        } else if (h.contentLength >= 0) {
          body = new Body(this, Body.FIXED, h.contentLength, h.close);
        } else {
          body = new Body(this, Body.UNTIL_CLOSE, 0, true);
        }
        return new Response(h.status, h, body);
      }
    }

    /**
     * Reads until the buffer holds a whole head from {@code position} on, growing the buffer up to
     * {@value #MAX_HEAD} bytes for a large one; returns where the head ends.
     */
    private int bufferHead() throws IOException {
      while (true) {
        int end = ResponseHead.end(buffer, position, limit);
        if (end >= 0) {
          return end;
        }
        if (limit == buffer.length) {
          if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
          } else if (buffer.length < MAX_HEAD) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_HEAD));
          } else {
            throw new IOException("the answer's headers are larger than " + MAX_HEAD + " bytes");
          }
        }
        int n = read(limit);
        if (n < 0) {
          throw new EOFException("the connection closed in the middle of an answer's headers");
        }
        limit += n;
      }
    }

    /** The next line (without its line ending), or null at the end of the stream. */
    @Nullable String line() throws IOException {
      StringBuilder s = null;
      while (true) {
        if (position == limit && !fill()) {
          return null;
        }
        int from = position;
        while (position < limit) {
          byte b = buffer[position++];
          if (b == '\n') {
            int end = position - 1;
            if (end > from && buffer[end - 1] == '\r') {
              end--;
            } else if (end == from && s != null && !s.isEmpty() && s.charAt(s.length() - 1) == '\r') {
              s.setLength(s.length() - 1);
            }
            String part = new String(buffer, from, end - from, StandardCharsets.ISO_8859_1);
            return s == null ? part : s.append(part).toString();
          }
        }
        if (s == null) {
          s = new StringBuilder();
        }
        s.append(new String(buffer, from, limit - from, StandardCharsets.ISO_8859_1));
        if (s.length() > MAX_HEAD) {
          throw new IOException("a line longer than " + MAX_HEAD + " bytes in an answer's head");
        }
      }
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /**
   * An answer's body as it arrives: Content-Length, chunked or until the connection closes. Read to its
   * end, the connection goes back to the pool; closed before, the connection is closed.
   */
  final class Body extends InputStream {
    static final int FIXED = 0;
    static final int CHUNKED = 1;
    static final int UNTIL_CLOSE = 2;

    private final Connection c;
    private final int framing;
    private final boolean closeAfter;
    private long remaining;
    private boolean ended;
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    Body(Connection c, int framing, long length, boolean closeAfter) throws IOException {
      this.c = c;
      this.framing = framing;
      this.closeAfter = closeAfter;
      this.remaining = framing == FIXED ? length : 0;
      if (framing == FIXED && length == 0) {
        end();
      }
    }

    /** Sets the deadline of the reads that follow; {@link Long#MAX_VALUE} for none. */
    void deadline(long deadlineNanos) throws SocketTimeoutException {
      c.deadline(deadlineNanos);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (ended) {
        return -1;
      }
      if (done.get()) {
        throw new IOException("closed");
      }
      if (framing == CHUNKED && remaining == 0) {
        if (!nextChunk()) {
          return -1;
        }
      }
      if (c.position == c.limit && !c.fill()) {
        if (framing == UNTIL_CLOSE) {
          end();
          return -1;
        }
        throw new EOFException("the connection closed before the end of the answer");
      }
      int n = Math.min(len, c.limit - c.position);
      if (framing != UNTIL_CLOSE) {
        n = (int) Math.min(n, remaining);
      }
      System.arraycopy(c.buffer, c.position, b, off, n);
      c.position += n;
      if (framing != UNTIL_CLOSE) {
        remaining -= n;
        if (remaining == 0 && framing == FIXED) {
          end();
        }
      }
      return n;
    }

    /** Reads the next chunk's size line; false (and the end) after the last chunk and trailers. */
    private boolean nextChunk() throws IOException {
      if (remaining == 0 && sawChunk) {
        String crlf = c.line(); // the CRLF after the previous chunk's data
        if (crlf == null) {
          throw new EOFException("the connection closed before the end of the answer");
        }
        if (!crlf.isEmpty()) {
          throw new IOException("malformed chunked encoding");
        }
      }
      String size = c.line();
      if (size == null) {
        throw new EOFException("the connection closed before the end of the answer");
      }
      int semi = size.indexOf(';');
      String hex = (semi < 0 ? size : size.substring(0, semi)).trim();
      long n;
      try {
        n = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunked encoding: '" + printable(size) + "'");
      }
      if (n < 0) {
        throw new IOException("malformed chunked encoding");
      }
      sawChunk = true;
      if (n == 0) {
        String trailer;
        while ((trailer = c.line()) != null && !trailer.isEmpty()) {
          // trailers carry nothing Baton needs
        }
        if (trailer == null) {
          throw new EOFException("the connection closed before the end of the answer");
        }
        end();
        return false;
      }
      remaining = n;
      return true;
    }

    private boolean sawChunk;

    private void end() {
      ended = true;
      if (!done.compareAndSet(false, true)) {
        return;
      }
      if (closeAfter || c.position != c.limit) {
        c.close(); // pipelined bytes we did not ask for, or the server will close: not reusable
        return;
      }
      try {
        c.deadline(NO_DEADLINE);
      } catch (SocketTimeoutException e) {
        c.close(); // the deadline passed as the answer ended: the watchdog is closing it
        return;
      }
      release(c);
    }

    /** Before the end: closes the connection (a read blocked in another thread fails at once). */
    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        c.close();
      }
    }

    /** Reads the rest of the body, at most {@code limit} bytes. */
    byte[] readAll(long limit) throws IOException {
      if (framing == FIXED) {
        return readFixed(limit);
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream(1024);
      byte[] chunk = new byte[8192];
      int n;
      try {
        while ((n = read(chunk, 0, chunk.length)) >= 0) {
          all.write(chunk, 0, n);
          if (all.size() > limit) {
            throw new IOException("the answer is larger than " + limit + " bytes");
          }
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
      return all.toByteArray();
    }

    /** The rest of a body of known length, read into one array of that length. */
    private byte[] readFixed(long limit) throws IOException {
      try {
        if (remaining > limit) {
          throw new IOException("the answer is larger than " + limit + " bytes");
        }
        byte[] all = new byte[(int) remaining];
        for (int off = 0; off < all.length; ) {
          off += read(all, off, all.length - off); // a FIXED body's read fails rather than ends early
        }
        return all;
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
    }
  }
}
