package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;

/** The access-log filter: one line per request, with its final outcome, written behind the request. */
class AccessLogTest {

  /** A logger that keeps what it is given. */
  static final class KeptLines extends LegacyAbstractLogger {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final boolean info;

    KeptLines(boolean info) {
      this.info = info;
      this.name = "dev.baton.access";
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String message, Object[] args,
        Throwable throwable) {
      lines.add(level + " " + message);
    }

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
      return info;
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

  @Test
  void logsOneLineWithTheRequestsFinalOutcomeAfterItsAnswer() {
    KeptLines log = new KeptLines(true);
    Attempt failed = new Attempt("smart", "smart", "openai", "gpt-4o", Attempt.Outcome.FAILED, null, Duration.ZERO);
    Attempt answered = new Attempt("smart", "backup", "anthropic", "claude", Attempt.Outcome.SUCCEEDED, null,
        Duration.ZERO);
    TestEndpoint endpoint = new TestEndpoint(exchange -> {
      exchange.answered("backup", List.of(failed, answered), null);
      exchange.http().send("{}".getBytes(StandardCharsets.UTF_8));
    });
    try (AccessLog accessLog = new AccessLog(log)) {
      Pipeline pipeline = Pipeline.builder().requestId(new RequestId()).accessLog(accessLog).build();

      pipeline.serve(TestCall.post("/chat/completions", "{}").header("x-request-id", "r-1"), "/v1/chat/completions",
          endpoint);
    }

    assertThat(log.lines).singleElement().asString()
        .matches("INFO POST /v1/chat/completions 200 model=smart served_by=backup attempts=2 latency=\\d+ms"
            + " request_id=r-1");
  }

  @Test
  void aRefusalIsLoggedWithItsErrorCode() {
    KeptLines log = new KeptLines(true);
    try (AccessLog accessLog = new AccessLog(log)) {
      Pipeline pipeline = Pipeline.builder().accessLog(accessLog).auth(new Auth("sk-master")).build();

      pipeline.serve(TestCall.get("/v1/models"), "/v1/models", new TestEndpoint());
    }

    assertThat(log.lines).singleElement().asString()
        .matches("INFO GET /v1/models 401 model=- served_by=- attempts=0 latency=\\d+ms error=invalid_api_key");
  }

  @Test
  void writesNothingAndStartsNoThreadWhenInfoIsOff() {
    KeptLines log = new KeptLines(false);
    try (AccessLog accessLog = new AccessLog(log)) {
      Pipeline.builder().accessLog(accessLog).build().serve(TestCall.get("/v1/models"), "/v1/models", new TestEndpoint());

      assertThat(accessLog.enabled()).isFalse();
    }

    assertThat(log.lines).isEmpty();
  }
}
