package dev.baton.provider.openai;

import static dev.baton.testkit.ResponsesFixtures.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.BadRequestException;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ConfigException;
import dev.baton.ConnectionFailedException;
import dev.baton.FinishReason;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Call;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderTests;
import dev.baton.provider.ResponsesApi;
import dev.baton.provider.azure.AzureFactory;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import dev.baton.testkit.ResponsesFixtures;
import dev.baton.transport.HttpTransport;
import dev.baton.wire.RawObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A deployment with {@code responses_api: native} takes OpenAI's Responses API as it is: the caller's body goes
 * to {@code /responses} with only {@code model} rewritten, and the answer and every event come back byte for
 * byte, read only for what the router needs. The upstream speaks {@link ResponsesFixtures}, the format of
 * OpenAI's API reference.
 */
class NativeResponsesTest {

  private FakeUpstream upstream;
  private HttpTransport http;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    http = new HttpTransport();
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
  }

  private ModelConfig.Builder deployment(String provider) {
    return ModelConfig.builder("smart", provider, "gpt-4o-mini")
        .apiBase(upstream.url("/v1"))
        .apiKey("sk-upstream-key-0123456789")
        .timeout(Duration.ofSeconds(5))
        .firstTokenTimeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(2));
  }

  private Provider openAi(ModelConfig config) {
    OpenAiFactory factory = OpenAiFactory.PRESETS.stream().filter(p -> p.name().equals(config.provider()))
        .findFirst().orElseThrow();
    return factory.create(config, new ProviderContext(Environment.of(Map.of()), http));
  }

  private ResponsesApi nativeOpenAi() {
    ResponsesApi api = openAi(deployment("openai").option("responses_api", "native").build()).responsesApi();
    assertThat(api).as("a deployment with responses_api: native speaks the Responses API").isNotNull();
    return api;
  }

  private static Call call() {
    return new Call("smart", "openai", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Long.MAX_VALUE);
  }

  private static RawObject body(String json) {
    try {
      return RawObject.of(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void sendsTheCallersBodyWithOnlyTheModelRewrittenAndBatonsOwnFieldsDropped() {
    upstream.always(Reply.json(200, ResponsesFixtures.textResponse("Hi!")));
    String caller = "{\"model\":\"smart\",\"input\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
        + "\"reasoning\":{\"effort\":\"low\"},\"fallbacks\":[\"other\"],\"include\":[\"reasoning.encrypted_content\"],"
        + "\"store\":false}";

    nativeOpenAi().respond(body(caller), call());

    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/responses");
    assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer sk-upstream-key-0123456789");
    assertThat(upstream.lastRequest().bodyText()).as("every field the caller sent, as it was written")
        .isEqualTo("{\"model\":\"gpt-4o-mini\",\"input\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
            + "\"reasoning\":{\"effort\":\"low\"},\"include\":[\"reasoning.encrypted_content\"],\"store\":false,"
            + "\"stream\":false}");
  }

  @Test
  void readsTheAnswerAndKeepsTheUpstreamsBytes() {
    String answer = ResponsesFixtures.textResponse("Why did the scarecrow win an award?");
    upstream.always(Reply.json(200, answer));

    ChatResponse response = nativeOpenAi().respond(body("{\"model\":\"smart\",\"input\":\"joke\"}"), call());

    assertThat(response.text()).isEqualTo("Why did the scarecrow win an award?");
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.usage()).isEqualTo(Usage.of(11, 18));
    assertThat(response.upstreamModel()).isEqualTo(MODEL);
    assertThat(response.id()).isEqualTo(ResponsesFixtures.RESPONSE_ID);
    assertThat(new String(response.upstreamBody(), StandardCharsets.UTF_8)).isEqualTo(answer);
  }

  @Test
  void readsFunctionCallsAndWhyAnAnswerWasCutShort() {
    upstream.enqueue(Reply.json(200, ResponsesFixtures.functionCallResponse("call_1", "get_weather", "{\"city\":\"Paris\"}")),
        Reply.json(200, ResponsesFixtures.incompleteResponse("Once upon")));

    ChatResponse call = nativeOpenAi().respond(body("{\"model\":\"smart\",\"input\":\"weather?\"}"), call());
    ChatResponse cut = nativeOpenAi().respond(body("{\"model\":\"smart\",\"input\":\"story\"}"), call());

    assertThat(call.toolCalls()).containsExactly(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"));
    assertThat(call.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
    assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(cut.text()).isEqualTo("Once upon");
  }

  @Test
  void errorsAreClassifiedAsForChat() {
    upstream.enqueue(
        Reply.json(429, OpenAiFixtures.error("Rate limit reached", "requests", "rate_limit_exceeded")),
        Reply.json(400, OpenAiFixtures.error("Unsupported parameter: 'temperature'", "invalid_request_error", null)),
        Reply.json(200, ResponsesFixtures.textResponse("x").replace("\"status\":\"completed\"", "\"status\":\"failed\"")
            .replace("\"error\":null", "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed\"}")));
    ResponsesApi api = nativeOpenAi();

    assertThatThrownBy(() -> api.respond(body("{\"model\":\"smart\",\"input\":\"a\"}"), call()))
        .isInstanceOf(RateLimitedException.class);
    assertThatThrownBy(() -> api.respond(body("{\"model\":\"smart\",\"input\":\"a\"}"), call()))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("Unsupported parameter: 'temperature'");
    assertThatThrownBy(() -> api.respond(body("{\"model\":\"smart\",\"input\":\"a\"}"), call()))
        .as("a failed Response under a 200").isInstanceOf(ServerErrorException.class)
        .hasMessageContaining("The model failed");
  }

  @Test
  void streamsEachEventAsTheUpstreamSentIt() {
    List<String> events = ResponsesFixtures.textStream("Why", " did", " the scarecrow");
    upstream.always(Reply.sse(events));

    List<ChatChunk> chunks = ProviderTests.drain(
        nativeOpenAi().stream(body("{\"model\":\"smart\",\"input\":\"joke\",\"stream\":true}"), call()));

    assertThat(upstream.lastRequest().bodyText()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"input\":\"joke\",\"stream\":true}");
    assertThat(chunks).extracting(c -> new String(c.upstreamBody(), StandardCharsets.UTF_8))
        .as("every event, whole and in order").containsExactlyElementsOf(events);
    assertThat(chunks).extracting(ChatChunk::text).containsSubsequence("Why", " did", " the scarecrow");
    ChatChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(last.usage()).isEqualTo(Usage.of(11, 18));
    assertThat(last.upstreamModel()).isEqualTo(MODEL);
  }

  @Test
  void streamedFunctionCallsComeAsToolCallFragments() {
    upstream.always(Reply.sse(ResponsesFixtures.functionCallStream("call_9", "get_weather", "{\"city\":", "\"Paris\"}")));

    List<ToolCallDelta> fragments = new ArrayList<>();
    ProviderTests.drain(nativeOpenAi().stream(body("{\"model\":\"smart\",\"input\":\"w\"}"), call()))
        .forEach(c -> fragments.addAll(c.toolCalls()));

    assertThat(fragments).containsExactly(
        new ToolCallDelta(0, "call_9", "get_weather", null),
        new ToolCallDelta(0, null, null, "{\"city\":"),
        new ToolCallDelta(0, null, null, "\"Paris\"}"));
  }

  @Test
  void aFailedOrErrorEventFailsTheAttemptAsTheErrorItReports() {
    List<String> failed = new ArrayList<>(ResponsesFixtures.brokenTextStream("Hel"));
    failed.add(ResponsesFixtures.failedEvent("server_error", "The model failed to generate a response.", failed.size()));
    List<String> errored = new ArrayList<>(ResponsesFixtures.brokenTextStream("Hel"));
    errored.add(ResponsesFixtures.errorEvent("rate_limit_exceeded", "Slow down", errored.size()));
    upstream.enqueue(Reply.sse(failed), Reply.sse(errored));
    ResponsesApi api = nativeOpenAi();

    assertThatThrownBy(() -> ProviderTests.drain(api.stream(body("{\"model\":\"smart\",\"input\":\"a\"}"), call())))
        .isInstanceOf(ServerErrorException.class).hasMessageContaining("The model failed to generate a response.");
    assertThatThrownBy(() -> ProviderTests.drain(api.stream(body("{\"model\":\"smart\",\"input\":\"a\"}"), call())))
        .isInstanceOf(RateLimitedException.class).hasMessageContaining("Slow down");
  }

  @Test
  void aStreamThatEndsBeforeResponseCompletedIsABrokenConnection() {
    upstream.always(Reply.sse(ResponsesFixtures.brokenTextStream("Once", " upon")));

    List<ChatChunk> seen = new ArrayList<>();
    assertThatThrownBy(() -> ProviderTests.drain(
        nativeOpenAi().stream(body("{\"model\":\"smart\",\"input\":\"a\"}"), call()), seen))
        .isInstanceOf(ConnectionFailedException.class).hasMessageContaining("response.completed");
    assertThat(seen).extracting(ChatChunk::text).contains("Once", " upon");
  }

  @Test
  void azureTakesTheResponsesApiUnderItsV1PathWithTheDeploymentAsTheModel() {
    upstream.always(Reply.json(200, ResponsesFixtures.textResponse("Hi")));
    ModelConfig config = ModelConfig.builder("azure-gpt", "azure", "gpt-4o-prod").apiBase(upstream.url())
        .apiKey("0123456789abcdef0123456789abcdef").option("responses_api", "native").build();
    ResponsesApi api = new AzureFactory().create(config, new ProviderContext(Environment.of(Map.of()), http))
        .responsesApi();

    api.respond(body("{\"model\":\"smart\",\"input\":\"hi\"}"), call());

    assertThat(upstream.lastRequest().target()).isEqualTo("/openai/v1/responses");
    assertThat(upstream.lastRequest().header("api-key")).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(upstream.lastRequest().bodyText()).startsWith("{\"model\":\"gpt-4o-prod\",");
  }

  @Test
  void azureWithADatedPreviewVersionUsesThatVersionsPath() {
    upstream.always(Reply.json(200, ResponsesFixtures.textResponse("Hi")));
    ModelConfig config = ModelConfig.builder("azure-gpt", "azure", "gpt-4o-prod").apiBase(upstream.url())
        .apiKey("0123456789abcdef0123456789abcdef").option("responses_api", "native")
        .option("api_version", "2025-04-01-preview").build();

    new AzureFactory().create(config, new ProviderContext(Environment.of(Map.of()), http)).responsesApi()
        .respond(body("{\"model\":\"smart\",\"input\":\"hi\"}"), call());

    assertThat(upstream.lastRequest().target()).isEqualTo("/openai/responses?api-version=2025-04-01-preview");
  }

  @Test
  void deploymentsTranslateUnlessTheySayNative() {
    assertThat(openAi(deployment("openai").build()).responsesApi()).isNull();
    assertThat(openAi(deployment("openai").option("responses_api", "translate").build()).responsesApi()).isNull();
    assertThat(openAi(deployment("openai-compatible").option("responses_api", "native").build()).responsesApi())
        .isNotNull();
    assertThatThrownBy(() -> openAi(deployment("openai").option("responses_api", "yes").build()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("responses_api must be 'native' or 'translate'");
  }
}
