package dev.baton.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BodyLimitTest {

  final List<String> bodies = new ArrayList<>();
  final TestEndpoint readingEndpoint = new TestEndpoint(exchange -> {
    bodies.add(new String(exchange.body(), StandardCharsets.UTF_8));
    exchange.http().send("ok".getBytes(StandardCharsets.UTF_8));
  });

  Pipeline pipeline(Duration readTimeout) {
    return Pipeline.builder().bodyLimit(new BodyLimit(16, readTimeout)).build();
  }

  @Test
  void aBodyWithinTheLimitReachesTheDoorWhole() {
    TestCall call = TestCall.post("/v1/chat/completions", "{\"model\":\"a\"}");

    pipeline(Duration.ofSeconds(2)).serve(call, "/v1/chat/completions", readingEndpoint);

    assertThat(call.status()).isEqualTo(200);
    assertThat(bodies).containsExactly("{\"model\":\"a\"}");
  }

  @Test
  void aChunkedBodyWithinTheLimitReachesTheDoorWhole() {
    TestCall call = TestCall.post("/v1/chat/completions", "exactly 16 bytes").chunked();

    pipeline(Duration.ofSeconds(2)).serve(call, "/v1/chat/completions", readingEndpoint);

    assertThat(bodies).containsExactly("exactly 16 bytes");
  }

  @Test
  void aDeclaredLengthOverTheLimitIsA413BeforeAnythingIsRead() throws IOException {
    TestCall call = TestCall.post("/v1/chat/completions", "{\"model\":\"a\",\"messages\":[]}");

    pipeline(Duration.ofSeconds(2)).serve(call, "/v1/chat/completions", readingEndpoint);

    assertThat(call.status()).isEqualTo(413);
    assertThat(call.answerBody()).isEqualTo("shape=test status=413 code=request_too_large");
    assertThat(call.answerHeader("connection")).isEqualTo("close");
    assertThat(call.unreadBodyBytes()).as("bytes left unread").isEqualTo(27);
    assertThat(readingEndpoint.steps).isEmpty();
  }

  @Test
  void aChunkedBodyOverTheLimitIsA413OnceItsLimitIsPassed() throws IOException {
    TestCall call = TestCall.post("/v1/chat/completions", "{\"model\":\"a\",\"messages\":[]}").chunked();

    pipeline(Duration.ofSeconds(2)).serve(call, "/v1/chat/completions", readingEndpoint);

    assertThat(call.status()).isEqualTo(413);
    assertThat(bodies).isEmpty();
  }

  @Test
  void theBodyIsReadOnlyWhenTheDoorAsksForIt() throws IOException {
    TestCall call = TestCall.post("/v1/chat/completions", "{\"model\":\"a\"}");

    pipeline(Duration.ofSeconds(2)).serve(call, "/v1/chat/completions", new TestEndpoint());

    assertThat(call.unreadBodyBytes()).isEqualTo(13);
  }

  @Test
  void aBodyThatNeverFinishesIsCutOffAfterTheReadTimeoutWithA408() throws Exception {
    PipedOutputStream caller = new PipedOutputStream();
    InputStream stalled = new PipedInputStream(caller);
    caller.write("{\"model\":".getBytes(StandardCharsets.UTF_8)); // and nothing more, ever
    TestCall call = TestCall.post("/v1/chat/completions", "").body(stalled, 16);

    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() ->
          pipeline(Duration.ofMillis(200)).serve(call, "/v1/chat/completions", readingEndpoint), threads);
      served.get(5, TimeUnit.SECONDS);
    }

    assertThat(call.status()).isEqualTo(408);
    assertThat(call.answerBody()).isEqualTo("shape=test status=408 code=request_timeout");
    assertThat(call.answerHeader("connection")).isEqualTo("close");
  }

  @Test
  void withoutABodyLimitNoBodyIsRead() {
    TestCall call = TestCall.post("/v1/chat/completions", "{}");

    Pipeline.builder().build().serve(call, "/v1/chat/completions", readingEndpoint);

    assertThat(call.status()).isEqualTo(500);
    assertThat(bodies).isEmpty();
  }
}
