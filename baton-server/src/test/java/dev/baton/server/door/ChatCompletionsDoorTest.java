package dev.baton.server.door;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Baton;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.server.pipeline.Auth;
import dev.baton.server.pipeline.BodyLimit;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.RequestId;
import dev.baton.server.pipeline.TestCall;
import dev.baton.wire.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The chat door behind a pipeline, without a web server, over mock models: what it writes, and what a
 * filter placed before it sees of the outcome once {@code proceed()} returns — for streams too.
 */
class ChatCompletionsDoorTest {

  final Baton baton = Baton.builder()
      .config(ConfigLoader.parse("""
          models:
            - name: smart
              provider: mock
              model: smart-1
              mock_response: Hello there, caller
            - name: brittle
              provider: mock
              model: brittle-1
              mock_response: one two three four five six seven
              mock_break_after: 3
          router:
            retries: 0
          """, "test.yaml", Environment.of(Map.of())))
      .environment(Environment.of(Map.of()))
      .build();
  final ChatCompletionsDoor door = new ChatCompletionsDoor(baton);

  /** What the outermost filter saw once the answer was over. */
  final List<Exchange> outcomes = new ArrayList<>();
  final List<String> seen = new ArrayList<>();
  final Pipeline pipeline = Pipeline.builder()
      .requestId(new RequestId())
      .accessLog((exchange, chain) -> {
        chain.proceed();
        outcomes.add(exchange);
        seen.add(exchange.status() + " model=" + exchange.model() + " served_by=" + exchange.servedBy()
            + " attempts=" + exchange.upstreamAttempts() + " usage=" + (exchange.usage() != null)
            + " error=" + exchange.error());
      })
      .bodyLimit(new BodyLimit(1 << 20, Duration.ofSeconds(2)))
      .auth(new Auth(null))
      .build();

  @AfterEach
  void close() {
    baton.close();
  }

  TestCall serve(TestCall call) {
    pipeline.serve(call, "/v1/chat/completions", door);
    return call;
  }

  static String ask(String model, boolean stream) {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream
        + ",\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  }

  @Test
  void answersInOpenAisShapeNamingTheModelAndItsAttempts() throws Exception {
    TestCall call = serve(TestCall.post("/v1/chat/completions", ask("smart", false)));

    JsonNode answer = Json.parse(call.answerBody().getBytes(StandardCharsets.UTF_8));
    assertThat(call.status()).isEqualTo(200);
    assertThat(answer.path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hello there, caller");
    assertThat(call.answerHeader("x-baton-model")).isEqualTo("smart");
    assertThat(call.answerHeader("x-baton-attempts")).isEqualTo("1");
    assertThat(call.answerHeader("x-request-id")).isNotBlank();
    assertThat(seen).containsExactly("200 model=smart served_by=smart attempts=1 usage=true error=null");
  }

  @Test
  void aCompletedStreamIsSeenWithItsUsageOnceProceedReturns() {
    TestCall call = serve(TestCall.post("/v1/chat/completions", ask("smart", true)));

    assertThat(call.streamed()).isTrue();
    assertThat(call.answerHeader("content-type")).isEqualTo("text/event-stream");
    assertThat(call.answerBody()).startsWith("data: {").endsWith("data: [DONE]\n\n");
    assertThat(seen).containsExactly("200 model=smart served_by=smart attempts=1 usage=true error=null");
    assertThat(outcomes.get(0).stream()).isTrue();
  }

  @Test
  void aStreamThatBreaksIsSeenAsFailedOnceProceedReturns() {
    TestCall call = serve(TestCall.post("/v1/chat/completions", ask("brittle", true)));

    assertThat(call.status()).isEqualTo(200);
    assertThat(call.answerBody()).contains("data: {\"error\":{").doesNotContain("[DONE]");
    assertThat(seen).singleElement().asString().startsWith("200 model=brittle served_by=brittle")
        .doesNotEndWith("error=null");
  }

  @Test
  void aCallerThatLeavesMidStreamIsSeenAsGoneOnceProceedReturns() {
    serve(TestCall.post("/v1/chat/completions", ask("smart", true)).failWritesAfter(40));

    assertThat(seen).singleElement().asString().endsWith("error=client_disconnected");
  }

  @Test
  void badInputIsA400InOpenAisShapeAndNoModelIsAsked() throws Exception {
    TestCall call = serve(TestCall.post("/v1/chat/completions", "{\"model\":\"smart\",\"messages\":\"hi\"}"));

    JsonNode error = Json.parse(call.answerBody().getBytes(StandardCharsets.UTF_8)).path("error");
    assertThat(call.status()).isEqualTo(400);
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("messages");
    assertThat(seen).containsExactly("400 model=null served_by=null attempts=0 usage=false error=invalid_request_error");
  }
}
