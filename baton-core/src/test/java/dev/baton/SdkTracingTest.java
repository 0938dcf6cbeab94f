package dev.baton;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.embeddings;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.doubleKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's traces ({@code dev.baton.otel}): given an OpenTelemetry, every request is a span with a client span per upstream
 * attempt under it, attributed by the GenAI conventions, the fallback trail on them, and each upstream
 * request carrying its attempt's {@code traceparent}. Spans are taken from an in-memory exporter behind a
 * real OpenTelemetry SDK.
 */
class SdkTracingTest {

  FakeUpstream primary;
  FakeUpstream fallback;
  InMemorySpanExporter exported;
  OpenTelemetrySdk otel;

  @BeforeEach
  void start() {
    primary = FakeUpstream.start();
    fallback = FakeUpstream.start();
    exported = InMemorySpanExporter.create();
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
        .build();
  }

  @AfterEach
  void stop() {
    otel.close();
    primary.close();
    fallback.close();
  }

  Baton baton(int retries) {
    return Baton.builder()
        .model(Upstreams.openAi("primary", primary).build())
        .model(Upstreams.openAi("fallback", fallback).build())
        .fallbacks("primary", "fallback")
        .retries(retries)
        .openTelemetry(otel)
        .build();
  }

  SpanData span(String name) {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no span named '" + name + "' among "
            + exported.getFinishedSpanItems().stream().map(SpanData::getName).toList()));
  }

  List<SpanData> attemptSpans() {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getKind() == SpanKind.CLIENT)
        .sorted(java.util.Comparator.comparing(s -> s.getAttributes().get(longKey("baton.attempt"))))
        .toList();
  }

  static String traceparentOf(SpanData span) {
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex();
  }

  static List<String> eventNames(SpanData span) {
    return span.getEvents().stream().map(EventData::getName).toList();
  }

  @Test
  void aChatIsARequestSpanWithAClientSpanForItsAttemptAndTheUpstreamGetsThatSpansTraceparent() {
    primary.always(Reply.json(200, chatCompletion("primary-model-2024", "hello")));
    try (Baton baton = baton(0)) {

      ChatResponse answer = baton.chat("hi");

      assertThat(answer.text()).isEqualTo("hello");
      assertThat(exported.getFinishedSpanItems()).hasSize(2);
      SpanData request = span("chat primary");
      SpanData attempt = span("chat primary-model");
      assertThat(request.getKind()).isEqualTo(SpanKind.INTERNAL);
      assertThat(request.getParentSpanContext().isValid()).as("a request with no current span is a root").isFalse();
      assertThat(attempt.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(attempt.getTraceId()).isEqualTo(request.getTraceId());

      var r = request.getAttributes();
      assertThat(r.get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
      assertThat(r.get(stringKey("gen_ai.request.model"))).isEqualTo("primary");
      assertThat(r.get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
      assertThat(r.get(stringKey("gen_ai.response.model"))).isEqualTo("primary-model-2024");
      assertThat(r.get(stringKey("gen_ai.response.id"))).isEqualTo("chatcmpl-fake");
      assertThat(r.get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(11);
      assertThat(r.get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(7);
      assertThat(r.get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
      assertThat(r.get(stringKey("baton.served_by"))).isEqualTo("primary");
      assertThat(r.get(longKey("baton.attempts"))).isEqualTo(1);
      assertThat(r.get(booleanKey("baton.fallback"))).isFalse();
      assertThat(r.get(stringKey("baton.outcome"))).isEqualTo("succeeded");
      assertThat(r.get(booleanKey("gen_ai.request.stream"))).as("only a streamed request says so").isNull();
      assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

      var a = attempt.getAttributes();
      assertThat(a.get(stringKey("gen_ai.operation.name"))).isEqualTo("chat");
      assertThat(a.get(stringKey("gen_ai.provider.name"))).isEqualTo("openai");
      assertThat(a.get(stringKey("gen_ai.request.model"))).isEqualTo("primary-model");
      assertThat(a.get(stringKey("gen_ai.response.model"))).isEqualTo("primary-model-2024");
      assertThat(a.get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(11);
      assertThat(a.get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(7);
      assertThat(a.get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
      assertThat(a.get(longKey("baton.attempt"))).isEqualTo(1);
      assertThat(a.get(booleanKey("baton.fallback"))).isFalse();
      assertThat(a.get(stringKey("baton.deployment"))).isEqualTo("primary");
      assertThat(a.get(stringKey("baton.model"))).isEqualTo("primary");
      assertThat(a.get(stringKey("baton.outcome"))).isEqualTo("succeeded");
      assertThat(a.get(stringKey("error.type"))).isNull();

      assertThat(primary.lastRequest().header("traceparent")).isEqualTo(traceparentOf(attempt));
    }
  }

  @Test
  void theFallbackTrailIsASpanPerAttemptWithTheRetriesAndTheFallbackAsEventsOfTheRequest() {
    primary.always(Reply.json(503, error("overloaded", "server_error", "overloaded")));
    fallback.always(Reply.json(200, chatCompletion("fallback-model", "from the fallback")));
    try (Baton baton = baton(1)) {

      ChatResponse answer = baton.chat("hi");

      assertThat(answer.text()).isEqualTo("from the fallback");
      List<SpanData> attempts = attemptSpans();
      assertThat(attempts).extracting(SpanData::getName)
          .containsExactly("chat primary-model", "chat primary-model", "chat fallback-model");
      for (int i = 0; i < 2; i++) {
        var failed = attempts.get(i).getAttributes();
        assertThat(failed.get(stringKey("error.type"))).isEqualTo("server_error");
        assertThat(failed.get(longKey("http.response.status_code"))).isEqualTo(503);
        assertThat(failed.get(stringKey("baton.error.code"))).isEqualTo("overloaded");
        assertThat(failed.get(stringKey("baton.outcome"))).isEqualTo("failed");
        assertThat(failed.get(booleanKey("baton.fallback"))).isFalse();
        assertThat(attempts.get(i).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      }
      var answered = attempts.get(2).getAttributes();
      assertThat(answered.get(longKey("baton.attempt"))).isEqualTo(3);
      assertThat(answered.get(booleanKey("baton.fallback"))).isTrue();
      assertThat(answered.get(stringKey("baton.deployment"))).isEqualTo("fallback");
      assertThat(answered.get(stringKey("error.type"))).isNull();

      SpanData request = span("chat primary");
      assertThat(attempts).allSatisfy(a -> assertThat(a.getParentSpanId()).isEqualTo(request.getSpanId()));
      assertThat(request.getAttributes().get(booleanKey("baton.fallback"))).isTrue();
      assertThat(request.getAttributes().get(longKey("baton.attempts"))).isEqualTo(3);
      assertThat(request.getAttributes().get(stringKey("baton.served_by"))).isEqualTo("fallback");
      assertThat(request.getAttributes().get(stringKey("baton.model"))).isEqualTo("fallback");
      assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
      assertThat(eventNames(request)).containsExactly("baton.retrying", "baton.falling_back");
      EventData fellBack = request.getEvents().get(1);
      assertThat(fellBack.getAttributes().get(stringKey("baton.from"))).isEqualTo("primary");
      assertThat(fellBack.getAttributes().get(stringKey("baton.to"))).isEqualTo("fallback");
      assertThat(fellBack.getAttributes().get(stringKey("error.type"))).isEqualTo("server_error");

      List<RecordedRequest> sent = primary.requests();
      assertThat(sent).extracting(q -> q.header("traceparent"))
          .containsExactly(traceparentOf(attempts.get(0)), traceparentOf(attempts.get(1)));
      assertThat(fallback.lastRequest().header("traceparent")).isEqualTo(traceparentOf(attempts.get(2)));
    }
  }

  @Test
  void theRequestsSamplingSettingsAreOnItsSpansButNeverItsMessagesOrTheAnswer() {
    primary.always(Reply.json(200, chatCompletion("primary-model", "the secret answer")));
    ChatRequest request = ChatRequest.builder().model("primary").user("my secret prompt")
        .temperature(0.2).topP(0.9).maxTokens(256).stop("END").seed(7L).n(2).build();
    try (Baton baton = baton(0)) {

      baton.chat(request);

      for (SpanData s : exported.getFinishedSpanItems()) {
        var a = s.getAttributes();
        assertThat(a.get(doubleKey("gen_ai.request.temperature"))).isEqualTo(0.2);
        assertThat(a.get(doubleKey("gen_ai.request.top_p"))).isEqualTo(0.9);
        assertThat(a.get(longKey("gen_ai.request.max_tokens"))).isEqualTo(256);
        assertThat(a.get(stringArrayKey("gen_ai.request.stop_sequences"))).containsExactly("END");
        assertThat(a.get(longKey("gen_ai.request.seed"))).isEqualTo(7);
        assertThat(a.get(longKey("gen_ai.request.choice.count"))).isEqualTo(2);
        assertThat(a.asMap().values()).map(String::valueOf)
            .noneMatch(v -> v.contains("secret") || v.contains("sk-test"));
      }
    }
  }

  @Test
  void theRequestSpanIsAChildOfTheCallersCurrentSpan() {
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));
    Span caller = otel.getTracer("the-app").spanBuilder("handle order").startSpan();
    try (Baton baton = baton(0); Scope ignored = caller.makeCurrent()) {

      baton.chat("hi");

      SpanData request = span("chat primary");
      assertThat(request.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
      assertThat(request.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
      assertThat(primary.lastRequest().header("traceparent"))
          .startsWith("00-" + caller.getSpanContext().getTraceId() + "-");
    } finally {
      caller.end();
    }
  }

  @Test
  void anAsyncRequestIsAChildOfTheSpanCurrentWhereItWasMade() throws Exception {
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));
    Span caller = otel.getTracer("the-app").spanBuilder("handle order").startSpan();
    try (Baton baton = baton(0)) {
      java.util.concurrent.CompletableFuture<ChatResponse> answer;
      try (Scope ignored = caller.makeCurrent()) {
        answer = baton.chatAsync("hi");
      }

      assertThat(answer.get().text()).isEqualTo("hello");
      assertThat(span("chat primary").getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
    } finally {
      caller.end();
    }
  }

  @Test
  void aStreamsSpansEndWhenTheStreamIsReadToItsEnd() {
    primary.always(Reply.sse(stream("primary-model", "Hello", " world")));
    try (Baton baton = baton(0); ChatStream answer = baton.stream("hi")) {
      Iterator<ChatChunk> chunks = answer.iterator();
      chunks.next();

      assertThat(exported.getFinishedSpanItems()).as("no span ends while the stream is being read").isEmpty();

      StringBuilder text = new StringBuilder();
      chunks.forEachRemaining(c -> text.append(c.text()));

      assertThat(text).hasToString("Hello world");
      SpanData request = span("chat primary");
      SpanData attempt = span("chat primary-model");
      assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
      for (SpanData s : List.of(request, attempt)) {
        assertThat(s.getAttributes().get(booleanKey("gen_ai.request.stream"))).isTrue();
        assertThat(s.getAttributes().get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");
        assertThat(s.getAttributes().get(stringKey("gen_ai.response.model"))).isEqualTo("primary-model");
        assertThat(s.getAttributes().get(longKey("gen_ai.usage.input_tokens"))).isEqualTo(11);
        assertThat(s.getAttributes().get(longKey("gen_ai.usage.output_tokens"))).isEqualTo(2);
        assertThat(s.getAttributes().get(doubleKey("gen_ai.response.time_to_first_chunk"))).isPositive();
        assertThat(s.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("succeeded");
      }
    }
  }

  @Test
  void aBrokenStreamContinuedFromTheFallbackIsAnAttemptSpanOfItsOwn() {
    // The role chunk and "Hello", then the connection is cut mid-answer.
    primary.always(Reply.sse(stream("primary-model", "Hello", " world")).cutAfter(2));
    // As many servers do, the fallback answers the continuation from the beginning; Baton skips what was sent.
    fallback.always(Reply.sse(stream("fallback-model", "Hello", " world")));
    try (Baton baton = baton(0); ChatStream answer = baton.stream("hi")) {

      StringBuilder text = new StringBuilder();
      answer.forEach(c -> text.append(c.text()));

      assertThat(text).hasToString("Hello world");
      List<SpanData> attempts = attemptSpans();
      assertThat(attempts).hasSize(2);
      var broken = attempts.get(0).getAttributes();
      assertThat(broken.get(stringKey("baton.outcome"))).isEqualTo("failed");
      assertThat(broken.get(stringKey("error.type"))).isNotNull();
      assertThat(broken.get(stringArrayKey("gen_ai.response.finish_reasons")))
          .as("it began answering and never finished").containsExactly("error");
      assertThat(broken.get(booleanKey("baton.continuation"))).isNull();
      var continuation = attempts.get(1).getAttributes();
      assertThat(continuation.get(booleanKey("baton.continuation"))).isTrue();
      assertThat(continuation.get(booleanKey("baton.fallback"))).isTrue();
      assertThat(continuation.get(stringKey("baton.outcome"))).isEqualTo("succeeded");
      assertThat(continuation.get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("stop");

      SpanData request = span("chat primary");
      assertThat(eventNames(request)).contains("baton.stream_resumed");
      assertThat(request.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("succeeded");
      assertThat(request.getAttributes().get(stringKey("baton.served_by"))).isEqualTo("fallback");
      assertThat(fallback.lastRequest().header("traceparent")).isEqualTo(traceparentOf(attempts.get(1)));
    }
  }

  @Test
  void aStreamThatCannotBeCompletedEndsItsRequestSpanWithTheError() {
    primary.always(Reply.sse(stream("primary-model", "Hello", " world")).cutAfter(2));
    fallback.always(Reply.json(503, error("overloaded", "server_error", null)));
    try (Baton baton = baton(0); ChatStream answer = baton.stream("hi")) {

      assertThatThrownBy(() -> answer.forEach(c -> {})).isInstanceOf(BatonException.class);

      SpanData request = span("chat primary");
      assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(request.getAttributes().get(stringKey("error.type"))).isEqualTo("server_error");
      assertThat(request.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("failed");
      assertThat(request.getAttributes().get(stringArrayKey("gen_ai.response.finish_reasons"))).containsExactly("error");
      assertThat(attemptSpans()).extracting(s -> s.getAttributes().get(stringKey("baton.outcome")))
          .containsExactly("failed", "failed");
    }
  }

  @Test
  void closingAStreamBeforeItsEndEndsItsSpansAsCancelled() {
    primary.always(Reply.sse(stream("primary-model", "one", " two", " three")).chunkEvery(Duration.ofMillis(200)));
    try (Baton baton = baton(0)) {
      ChatStream answer = baton.stream("hi");
      answer.iterator().next();

      answer.close();

      SpanData request = span("chat primary");
      SpanData attempt = span("chat primary-model");
      assertThat(request.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("cancelled");
      assertThat(attempt.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("cancelled");
      assertThat(attempt.getStatus().getStatusCode()).as("a caller that stops reading is no error").isEqualTo(StatusCode.UNSET);
    }
  }

  @Test
  void aRequestThatFailsRecordsTheErrorTypeOnBothSpans() {
    primary.always(Reply.json(400, error("max_tokens is too large", "invalid_request_error", null)));
    try (Baton baton = baton(0)) {

      assertThatThrownBy(() -> baton.chat("hi")).isInstanceOf(BatonException.class);

      SpanData request = span("chat primary");
      SpanData attempt = span("chat primary-model");
      assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(request.getAttributes().get(stringKey("error.type"))).isEqualTo("bad_request");
      assertThat(request.getAttributes().get(longKey("baton.attempts"))).isEqualTo(1);
      assertThat(attempt.getAttributes().get(stringKey("error.type"))).isEqualTo("bad_request");
      assertThat(attempt.getAttributes().get(longKey("http.response.status_code"))).isEqualTo(400);
    }
  }

  @Test
  void embeddingsAndCompletionsAreNamedByTheirOperation() {
    primary.respond(q -> q.path().endsWith("/embeddings")
        ? Reply.json(200, embeddings("primary-model", new float[] {0.5f}))
        : Reply.json(200, chatCompletion("primary-model", "done")));
    try (Baton baton = baton(0)) {

      baton.embed("text");
      baton.complete("Once upon");

      assertThat(span("embeddings primary").getAttributes().get(stringKey("gen_ai.operation.name")))
          .isEqualTo("embeddings");
      assertThat(span("embeddings primary-model").getAttributes().get(longKey("gen_ai.usage.input_tokens")))
          .isEqualTo(5);
      assertThat(span("text_completion primary").getAttributes().get(stringKey("gen_ai.operation.name")))
          .isEqualTo("text_completion");
    }
  }

  @Test
  void aHedgedAttemptIsMarkedAndTheLoserEndsCancelled() {
    primary.always(Reply.json(200, chatCompletion("primary-model", "slow")).delayHeaders(Duration.ofSeconds(3)));
    fallback.always(Reply.json(200, chatCompletion("fallback-model", "quick")));
    try (Baton baton = Baton.builder()
        .model(Upstreams.openAi("primary", primary).hedgeAfter("100ms").build())
        .model(Upstreams.openAi("fallback", fallback).build())
        .fallbacks("primary", "fallback")
        .openTelemetry(otel)
        .build()) {

      assertThat(baton.chat("hi").text()).isEqualTo("quick");

      SpanData slow = span("chat primary-model");
      SpanData quick = span("chat fallback-model");
      assertThat(slow.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("cancelled");
      assertThat(quick.getAttributes().get(booleanKey("baton.hedged"))).isTrue();
      assertThat(quick.getAttributes().get(stringKey("baton.outcome"))).isEqualTo("succeeded");
      assertThat(eventNames(span("chat primary"))).contains("baton.hedged");
    }
  }

  @Test
  void withoutAnOpenTelemetryNothingIsTracedAndNoTraceparentGoesUpstream() {
    primary.always(Reply.json(200, chatCompletion("primary-model", "hello")));
    try (Baton baton = Baton.builder().model(Upstreams.openAi("primary", primary).build()).build()) {

      baton.chat("hi");

      assertThat(primary.lastRequest().header("traceparent")).isNull();
      assertThat(exported.getFinishedSpanItems()).isEmpty();
    }
  }
}
