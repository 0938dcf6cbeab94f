package dev.baton.server.pipeline;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * An {@link HttpCall} in memory, so filters and doors are tested without a web server: the request is
 * what the test says, and the answer is kept for it to look at. A caller that has gone away is a stream
 * whose writes fail after {@link #failWritesAfter(int)} bytes.
 */
public final class TestCall implements HttpCall {

  private final String method;
  private final String path;
  private final Map<HeaderName, String> headers = new HashMap<>();
  private final Map<String, String> pathParameters = new HashMap<>();
  private final Map<String, String> query = new LinkedHashMap<>();
  private @Nullable InputStream body;
  private boolean declareLength = true;
  private int bodyLength;
  private int writableBytes = Integer.MAX_VALUE;

  private int status = 200;
  private final Map<String, String> answerHeaders = new LinkedHashMap<>();
  private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
  private boolean sent;
  private boolean streamed;
  private int sends;

  private TestCall(String method, String path) {
    this.method = method;
    this.path = path;
  }

  public static TestCall get(String path) {
    return new TestCall("GET", path);
  }

  public static TestCall post(String path, String json) {
    return new TestCall("POST", path).body(json.getBytes(StandardCharsets.UTF_8));
  }

  public TestCall body(byte[] bytes) {
    this.body = new ByteArrayInputStream(bytes);
    this.bodyLength = bytes.length;
    return this;
  }

  /** A body that arrives from this stream, declared as {@code length} bytes long. */
  public TestCall body(InputStream stream, int length) {
    this.body = stream;
    this.bodyLength = length;
    return this;
  }

  /** Sends the body without a {@code Content-Length}, as a chunked request does. */
  public TestCall chunked() {
    this.declareLength = false;
    return this;
  }

  public TestCall header(String name, String value) {
    headers.put(HeaderNames.create(name), value);
    return this;
  }

  public TestCall pathParameter(String name, String value) {
    pathParameters.put(name, value);
    return this;
  }

  /** A query parameter of the URL. */
  public TestCall query(String name, String value) {
    query.put(name, value);
    return this;
  }

  /** Makes the answer's writes fail once this many bytes have been written, as when the caller has left. */
  public TestCall failWritesAfter(int bytes) {
    this.writableBytes = bytes;
    return this;
  }

  // The request.

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public @Nullable String header(HeaderName name) {
    return headers.get(name);
  }

  @Override
  public OptionalLong contentLength() {
    if (headers.containsKey(HeaderNames.CONTENT_LENGTH)) {
      return OptionalLong.of(Long.parseLong(headers.get(HeaderNames.CONTENT_LENGTH)));
    }
    return body != null && declareLength ? OptionalLong.of(bodyLength) : OptionalLong.empty();
  }

  @Override
  public boolean hasBody() {
    return body != null;
  }

  @Override
  public InputStream body() {
    return body == null ? InputStream.nullInputStream() : body;
  }

  @Override
  public @Nullable String pathParameter(String name) {
    return pathParameters.get(name);
  }

  @Override
  public @Nullable String query(String name) {
    return query.get(name);
  }

  @Override
  public String rawQuery() {
    StringBuilder raw = new StringBuilder();
    query.forEach((name, value) -> raw.append(raw.isEmpty() ? "" : "&")
        .append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
        .append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return raw.toString();
  }

  // The answer.

  @Override
  public void status(int code) {
    requireUnsent();
    this.status = code;
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public void header(Header header) {
    requireUnsent();
    answerHeaders.put(header.name().toLowerCase(java.util.Locale.ROOT), header.get());
  }

  @Override
  public void send(byte[] bytes) {
    requireUnsent();
    if (bytes.length > writableBytes) {
      throw new java.io.UncheckedIOException(new IOException("Broken pipe"));
    }
    sent = true;
    sends++;
    answer.writeBytes(bytes);
  }

  @Override
  public OutputStream stream() {
    requireUnsent();
    sent = true;
    streamed = true;
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (answer.size() + len > writableBytes) {
          throw new IOException("Broken pipe");
        }
        answer.write(b, off, len);
      }
    };
  }

  @Override
  public boolean sent() {
    return sent;
  }

  private void requireUnsent() {
    if (sent) {
      throw new IllegalStateException("the answer was already sent");
    }
  }

  // What the test looks at.

  /** A header of the answer, or null. */
  public @Nullable String answerHeader(String name) {
    return answerHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  public String answerBody() {
    return answer.toString(StandardCharsets.UTF_8);
  }

  public boolean streamed() {
    return streamed;
  }

  /** How many times a whole answer was sent: once, or never for a stream. */
  public int sends() {
    return sends;
  }

  /** How many bytes of the body are still unread. */
  public int unreadBodyBytes() throws IOException {
    return body == null ? 0 : body.available();
  }
}
