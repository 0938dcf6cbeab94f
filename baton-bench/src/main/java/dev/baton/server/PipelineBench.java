package dev.baton.server;

import dev.baton.BatonException;
import dev.baton.Usage;
import dev.baton.server.pipeline.AccessLog;
import dev.baton.server.pipeline.Auth;
import dev.baton.server.pipeline.BodyLimit;
import dev.baton.server.pipeline.Draining;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayMetrics;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.server.pipeline.HttpCall;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.RequestId;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/**
 * What the gateway's request pipeline costs one request, apart from the web server and the router: the
 * model routes' filters (request id, access line, metrics, draining, body limit, master key) around a door
 * that reads the body and sends a fixed answer, against the same door behind no filter at all ({@code bare},
 * the baseline of the same run). The difference is the filters' share of a request's CPU and allocation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineBench {

  private static final byte[] BODY = "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] ANSWER = "{\"id\":\"chatcmpl-1\"}".getBytes(StandardCharsets.UTF_8);
  private static final Usage USAGE = Usage.of(11, 3);

  private final AccessLog accessLog = new AccessLog(new Discarding());
  private final Pipeline filtered = Pipeline.builder()
      .requestId(new RequestId())
      .accessLog(accessLog)
      .metrics(new GatewayMetrics())
      .draining(new Draining())
      .bodyLimit(new BodyLimit(10 << 20, Duration.ofSeconds(30)))
      .auth(new Auth("sk-master-0123456789abcdef"))
      .build();
  private final Pipeline bare = Pipeline.builder()
      .bodyLimit(new BodyLimit(10 << 20, Duration.ofSeconds(30)))
      .build();
  private final Endpoint door = new FixedDoor();

  /** The request through every filter of the model routes. */
  @Benchmark
  public Call filtered() {
    Call call = new Call();
    filtered.serve(call, "/v1/chat/completions", door);
    return call;
  }

  /** The same request with only the body limit the door needs to read its body. */
  @Benchmark
  public Call bare() {
    Call call = new Call();
    bare.serve(call, "/v1/chat/completions", door);
    return call;
  }

  @TearDown
  public void stop() {
    accessLog.close();
  }

  /** Reads the body as a door does, and answers without a router. */
  static final class FixedDoor implements Endpoint {
    @Override
    public ErrorShape errors() {
      return new ErrorShape() {
        @Override
        public byte[] body(GatewayError error) {
          return ANSWER;
        }

        @Override
        public byte[] body(BatonException error) {
          return ANSWER;
        }
      };
    }

    @Override
    public void read(Exchange exchange) throws IOException {
      exchange.request("smart", false, exchange.body());
    }

    @Override
    public void answer(Exchange exchange) {
      exchange.answered("smart", List.of(), USAGE);
      exchange.http().send(ANSWER);
    }
  }

  /** A POST with the master key, in memory. */
  public static final class Call implements HttpCall {
    private static final HeaderName AUTHORIZATION = HeaderNames.AUTHORIZATION;
    private final InputStream body = new ByteArrayInputStream(BODY);
    private int status = 200;
    private boolean sent;
    private @Nullable Object lastHeader;

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String path() {
      return "/v1/chat/completions";
    }

    @Override
    public @Nullable String header(HeaderName name) {
      return name == AUTHORIZATION ? "Bearer sk-master-0123456789abcdef" : null;
    }

    @Override
    public OptionalLong contentLength() {
      return OptionalLong.of(BODY.length);
    }

    @Override
    public boolean hasBody() {
      return true;
    }

    @Override
    public InputStream body() {
      return body;
    }

    @Override
    public @Nullable String pathParameter(String name) {
      return null;
    }

    @Override
    public @Nullable String query(String name) {
      return null;
    }

    @Override
    public String rawQuery() {
      return "";
    }

    @Override
    public void status(int code) {
      status = code;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public void header(Header header) {
      lastHeader = header;
    }

    @Override
    public void send(byte[] bytes) {
      sent = true;
    }

    @Override
    public OutputStream stream() {
      sent = true;
      return OutputStream.nullOutputStream();
    }

    @Override
    public boolean sent() {
      return sent;
    }
  }

  /** An access log at info level that writes nowhere: the line is queued and formatted as in production. */
  static final class Discarding extends LegacyAbstractLogger {
    Discarding() {
      this.name = "dev.baton.access";
    }

    @Override
    protected @Nullable String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, @Nullable Marker marker, String message,
        Object @Nullable [] args, @Nullable Throwable throwable) {}

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }
}
