package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.baton.server.OtlpReceiver.ReceivedSpan;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's traces (contract section 10), as a collector receives them: a real gateway exports
 * OTLP/HTTP to an in-process receiver that decodes the protobuf, and fake upstreams record the
 * {@code traceparent} each attempt sent.
 */
class TelemetryTest {

  static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String CALLER_SPAN = "00f067aa0ba902b7";
  static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01";

  OtlpReceiver collector;
  TestGateway env;
  FakeUpstream primary;
  FakeUpstream fallback;

  @BeforeEach
  void start() {
    collector = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
    collector.close();
  }

  /**
   * The test gateway ({@code primary} falls back to {@code fallback}, one retry) with these settings
   * after its {@code server:} lines, and spans exported every 20 ms unless the environment says otherwise.
   */
  void gateway(String settings, Map<String, String> environment) {
    Map<String, String> variables = new HashMap<>(Map.of("OTEL_BSP_SCHEDULE_DELAY", "20"));
    variables.putAll(environment);
    env = new TestGateway(settings, variables);
    primary = env.primary;
    fallback = env.fallback;
  }

  /** Traces to the receiver, as service {@code baton-test}. */
  void gateway() {
    gateway(telemetry(collector.url()) + "  service_name: baton-test\n", Map.of());
  }

  static String telemetry(String endpoint) {
    return "telemetry:\n  otlp_endpoint: " + endpoint + "\n";
  }

  HttpResponse<String> chat(String body, String... headers) throws Exception {
    return env.post("/v1/chat/completions", body, headers);
  }

  static final String HELLO = "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String HELLO_STREAM =
      "{\"model\":\"primary\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** A traceparent naming this span, without its flags. */
  static String traceparentOf(ReceivedSpan span) {
    return "00-" + span.traceId() + "-" + span.spanId();
  }

  static ReceivedSpan only(List<ReceivedSpan> spans, SpanKind kind) {
    List<ReceivedSpan> of = spans.stream().filter(s -> s.kind() == kind).toList();
    assertThat(of).as("the %s spans", kind).hasSize(1);
    return of.get(0);
  }

  @Test
  void aRequestIsAServerSpanThatContinuesTheCallersTraceWithAClientSpanPerAttempt() throws Exception {
    gateway();
    primary.always(Reply.json(200, chatCompletion("primary-model-0613", "hello")));

    HttpResponse<String> answer = chat(HELLO, "traceparent", CALLER_TRACEPARENT,
        "tracestate", "caller-vendor=opaque-value", "baggage", "user.id=alice");

    assertThat(answer.statusCode()).isEqualTo(200);
    List<ReceivedSpan> trace = collector.awaitTrace(CALLER_TRACE, 2);
    ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
    ReceivedSpan attempt = only(trace, SpanKind.SPAN_KIND_CLIENT);
    assertThat(server.name()).isEqualTo("chat primary");
    assertThat(server.parentSpanId()).as("the caller's span is the parent").isEqualTo(CALLER_SPAN);
    assertThat(server.attributes()).containsEntry("http.request.method", "POST")
        .containsEntry("http.route", "/v1/chat/completions")
        .containsEntry("url.path", "/v1/chat/completions")
        .containsEntry("http.response.status_code", 200L)
        .containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.request.model", "primary")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.response.model", "primary-model-0613")
        .containsEntry("gen_ai.usage.input_tokens", 11L)
        .containsEntry("gen_ai.usage.output_tokens", 7L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("baton.served_by", "primary")
        .containsEntry("baton.attempts", 1L)
        .containsEntry("baton.fallback", false)
        .containsEntry("baton.request_id", answer.headers().firstValue("x-request-id").orElseThrow())
        .doesNotContainKey("error.type");
    assertThat(server.status()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
    assertThat(server.resource()).containsEntry("service.name", "baton-test");
    assertThat(server.scope()).isEqualTo("dev.baton");

    assertThat(attempt.name()).isEqualTo("chat primary-model");
    assertThat(attempt.parentSpanId()).isEqualTo(server.spanId());
    assertThat(attempt.attributes()).containsEntry("gen_ai.operation.name", "chat")
        .containsEntry("gen_ai.provider.name", "openai")
        .containsEntry("gen_ai.request.model", "primary-model")
        .containsEntry("gen_ai.response.model", "primary-model-0613")
        .containsEntry("gen_ai.usage.input_tokens", 11L)
        .containsEntry("gen_ai.usage.output_tokens", 7L)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
        .containsEntry("baton.attempt", 1L)
        .containsEntry("baton.fallback", false)
        .containsEntry("baton.deployment", "primary")
        .containsEntry("baton.outcome", "succeeded");

    RecordedRequest upstream = primary.lastRequest();
    assertThat(upstream.header("traceparent")).as("a fresh traceparent: the attempt span's, in the caller's trace")
        .startsWith(traceparentOf(attempt));
    assertThat(upstream.headers()).as("the caller's trace state and baggage stay here")
        .doesNotContainKeys("tracestate", "baggage");
    assertThat(collector.contentTypes()).allMatch(type -> type.equals("application/x-protobuf"));
  }

  @Test
  void aFallbackRequestsTrailIsASpanPerAttemptUnderTheServerSpan() throws Exception {
    gateway();
    primary.always(Reply.json(503, error("The server is overloaded", "server_error", "overloaded")));
    fallback.always(Reply.json(200, chatCompletion("fallback-model", "from the fallback")));

    HttpResponse<String> answer = chat(HELLO, "traceparent", CALLER_TRACEPARENT);

    assertThat(answer.statusCode()).isEqualTo(200);
    List<ReceivedSpan> trace = collector.awaitTrace(CALLER_TRACE, 4);
    ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
    List<ReceivedSpan> attempts = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT).toList();
    assertThat(attempts).extracting(ReceivedSpan::name)
        .containsExactly("chat primary-model", "chat primary-model", "chat fallback-model");
    assertThat(attempts).allSatisfy(a -> assertThat(a.parentSpanId()).isEqualTo(server.spanId()));
    for (int i = 0; i < 2; i++) {
      assertThat(attempts.get(i).attributes()).containsEntry("error.type", "server_error")
          .containsEntry("http.response.status_code", 503L)
          .containsEntry("baton.error.code", "overloaded")
          .containsEntry("baton.outcome", "failed")
          .containsEntry("baton.attempt", i + 1L)
          .containsEntry("baton.fallback", false);
      assertThat(attempts.get(i).status()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    }
    assertThat(attempts.get(2).attributes()).containsEntry("baton.outcome", "succeeded")
        .containsEntry("baton.attempt", 3L)
        .containsEntry("baton.fallback", true)
        .containsEntry("baton.deployment", "fallback")
        .doesNotContainKey("error.type");
    assertThat(server.attributes()).containsEntry("baton.fallback", true)
        .containsEntry("baton.attempts", 3L)
        .containsEntry("baton.served_by", "fallback")
        .containsEntry("http.response.status_code", 200L);
    assertThat(server.eventNames()).containsExactly("baton.retrying", "baton.falling_back");
    assertThat(server.event("baton.falling_back").attributes()).containsEntry("baton.from", "primary")
        .containsEntry("baton.to", "fallback")
        .containsEntry("error.type", "server_error");
    assertThat(primary.requests()).extracting(q -> q.header("traceparent").substring(0, 52))
        .containsExactly(traceparentOf(attempts.get(0)), traceparentOf(attempts.get(1)));
    assertThat(fallback.lastRequest().header("traceparent")).startsWith(traceparentOf(attempts.get(2)));
  }

  @Test
  void aStreamsSpansEndWithTheStreamAndCarryWhatItAnswered() throws Exception {
    gateway();
    primary.always(Reply.sse(stream("primary-model", "Hello", " world")));

    HttpResponse<String> answer = chat(HELLO_STREAM, "traceparent", CALLER_TRACEPARENT);

    assertThat(answer.body()).contains("Hello", " world").endsWith("data: [DONE]\n\n");
    List<ReceivedSpan> trace = collector.awaitTrace(CALLER_TRACE, 2);
    ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
    ReceivedSpan attempt = only(trace, SpanKind.SPAN_KIND_CLIENT);
    for (ReceivedSpan span : List.of(server, attempt)) {
      assertThat(span.attributes()).containsEntry("gen_ai.request.stream", true)
          .containsEntry("gen_ai.response.finish_reasons", List.of("stop"))
          .containsEntry("gen_ai.usage.output_tokens", 2L)
          .containsKey("gen_ai.response.time_to_first_chunk");
    }
    assertThat(attempt.endNanos()).as("the attempt ends within its request").isLessThanOrEqualTo(server.endNanos());
  }

  @Test
  void aStreamBrokenMidAnswerIsAFailedAttemptAndItsContinuationAnAttemptOfItsOwn() throws Exception {
    gateway();
    // The role chunk and "Hello", then the connection is cut; retried, the primary is overloaded.
    primary.enqueue(Reply.sse(stream("primary-model", "Hello", " world")).cutAfter(2))
        .always(Reply.json(503, error("The server is overloaded", "server_error", null)));
    // As many servers do, the fallback answers the continuation from the beginning; Baton skips what was sent.
    fallback.always(Reply.sse(stream("fallback-model", "Hello", " world")));

    HttpResponse<String> answer = chat(HELLO_STREAM, "traceparent", CALLER_TRACEPARENT);

    assertThat(answer.body()).contains("Hello", " world").endsWith("data: [DONE]\n\n");
    List<ReceivedSpan> trace = collector.awaitTrace(CALLER_TRACE, 4);
    ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
    List<ReceivedSpan> attempts = trace.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_CLIENT).toList();
    assertThat(attempts).extracting(a -> a.attribute("baton.deployment"), a -> a.attribute("baton.outcome"),
            a -> a.attribute("baton.continuation"))
        .containsExactly(tuple("primary", "failed", null), tuple("primary", "failed", true),
            tuple("fallback", "succeeded", true));
    assertThat(attempts.get(0).attributes()).as("it began answering and broke off")
        .containsEntry("gen_ai.response.finish_reasons", List.of("error"))
        .containsEntry("error.type", "connection_failed");
    assertThat(attempts.get(1).attributes()).containsEntry("error.type", "server_error")
        .doesNotContainKey("gen_ai.response.finish_reasons");
    assertThat(attempts.get(2).attributes()).containsEntry("baton.fallback", true)
        .containsEntry("gen_ai.response.finish_reasons", List.of("stop"));
    assertThat(server.eventNames()).contains("baton.stream_resumed");
    assertThat(server.status()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
    assertThat(fallback.lastRequest().header("traceparent")).startsWith(traceparentOf(attempts.get(2)));
  }

  @Test
  void aStreamThatCannotBeCompletedEndsItsServerSpanWithTheError() throws Exception {
    gateway();
    primary.enqueue(Reply.sse(stream("primary-model", "Hello", " world")).cutAfter(2))
        .always(Reply.json(503, error("The server is overloaded", "server_error", null)));
    fallback.always(Reply.json(503, error("The server is overloaded", "server_error", null)));

    HttpResponse<String> answer = chat(HELLO_STREAM, "traceparent", CALLER_TRACEPARENT);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains("\"error\"").doesNotContain("[DONE]");
    List<ReceivedSpan> trace = collector.awaitTrace(CALLER_TRACE, 5);
    ReceivedSpan server = only(trace, SpanKind.SPAN_KIND_SERVER);
    assertThat(server.status()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(server.attributes()).containsEntry("error.type", "server_error")
        .containsEntry("baton.outcome", "failed")
        .containsEntry("http.response.status_code", 200L);
  }

  @Test
  void aRequestRefusedBeforeTheRouterIsAServerSpanWithTheGatewaysErrorType() throws Exception {
    gateway("  master_key: the-master-key-0123456789\n" + telemetry(collector.url()), Map.of());

    HttpResponse<String> answer = chat(HELLO, "traceparent", CALLER_TRACEPARENT);

    assertThat(answer.statusCode()).isEqualTo(401);
    ReceivedSpan server = collector.await(s -> s.traceId().equals(CALLER_TRACE), "of the caller's trace",
        Duration.ofSeconds(20));
    assertThat(server.name()).isEqualTo("POST /v1/chat/completions");
    assertThat(server.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
    assertThat(server.attributes()).containsEntry("http.response.status_code", 401L)
        .containsEntry("error.type", "invalid_api_key")
        .doesNotContainKey("gen_ai.operation.name");
    assertThat(server.status()).as("a refusal is the caller's fault, not an error of the server")
        .isEqualTo(StatusCode.STATUS_CODE_UNSET);
    assertThat(primary.requests()).isEmpty();
  }

  @Test
  void aCollectorThatHangsCostsRequestsNothing() throws Exception {
    collector.hang();
    gateway(telemetry(collector.url()),
        Map.of("OTEL_BSP_SCHEDULE_DELAY", "1", "OTEL_BSP_MAX_QUEUE_SIZE", "8", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "2"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));
    assertThat(chat(HELLO).statusCode()).isEqualTo(200);
    collector.awaitHanging(Duration.ofSeconds(20));

    fallback.always(Reply.sse(stream("fallback-model", "streamed")));
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    try (var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 40; i++) {
        String body = i % 2 == 0 ? HELLO : HELLO_STREAM.replace("primary", "fallback");
        answers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return chat(body);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, callers));
      }
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        HttpResponse<String> done = answer.get();
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).containsAnyOf("hello", "streamed");
      }
    }

    assertThat(collector.stillHanging()).as("every request was answered while the collector held its export")
        .isTrue();
    assertThat(collector.spans()).isEmpty();
    collector.release();
  }

  @Test
  void aCollectorThatIsDownCostsRequestsNothing() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    gateway(telemetry("http://127.0.0.1:" + closedPort), Map.of("OTEL_BSP_SCHEDULE_DELAY", "1"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));

    for (int i = 0; i < 30; i++) {
      HttpResponse<String> answer = chat(HELLO);

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("hello");
    }
    assertThat(primary.lastRequest().header("traceparent")).as("spans are still made, only not delivered")
        .isNotNull();
  }

  @Test
  void theOtelVariablesAreHonouredAndOverrideTheConfiguration() throws Exception {
    gateway("telemetry:\n  service_name: from-the-file\n",
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url(), "OTEL_SERVICE_NAME", "from-the-environment"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));

    chat(HELLO, "traceparent", CALLER_TRACEPARENT);

    ReceivedSpan server = collector.await("chat primary");
    assertThat(server.resource()).containsEntry("service.name", "from-the-environment");
  }

  @Test
  void anOtlpEndpointInTheEnvironmentTurnsTracesOnWithoutTheSection() throws Exception {
    gateway("", Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url()));
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));

    chat(HELLO);

    assertThat(collector.await("chat primary").resource()).containsEntry("service.name", "baton");
  }

  @Test
  void otelSdkDisabledTurnsTracesOff() throws Exception {
    gateway(telemetry(collector.url()), Map.of("OTEL_SDK_DISABLED", "true"));
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));

    chat(HELLO, "traceparent", CALLER_TRACEPARENT);

    assertThat(primary.lastRequest().header("traceparent")).isNull();
  }

  @Test
  void withoutTelemetryNothingIsTracedAndTheCallersTraceparentIsNotForwarded() throws Exception {
    gateway("", Map.of());
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));

    HttpResponse<String> answer = chat(HELLO, "traceparent", CALLER_TRACEPARENT, "tracestate", "caller-vendor=1");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(primary.lastRequest().headers()).doesNotContainKeys("traceparent", "tracestate");
  }
}
