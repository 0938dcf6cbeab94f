package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.AzureFixtures;
import dev.baton.testkit.BedrockFixtures;
import dev.baton.testkit.CohereFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.OllamaFixtures;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every provider behind the gateway, driven by the official OpenAI Java SDK as any OpenAI client would
 * drive it: the SDK speaks OpenAI's protocol to the gateway, each fake upstream receives its provider's own
 * wire protocol and answers in it. Then a fallback chain across three protocols, including a stream that
 * breaks in one protocol and is finished in another.
 */
class ProvidersThroughGatewayTest {

  static final String MASTER_KEY = "gateway-master-key-0123456789";
  static final String SYSTEM = "Answer in one short sentence.";
  static final float[] VECTOR = {0.5f, -0.25f, 1.5f};
  /** The arguments of every streamed tool call, and the pieces the providers that stream them send. */
  static final String PARIS = "{\"city\":\"Paris\"}";
  static final String[] PARIS_PIECES = {"{\"city\":", "\"Paris\"}"};
  static final ObjectMapper JSON = new ObjectMapper();

  final List<AutoCloseable> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  /**
   * One provider as the gateway's YAML names it: the fake upstream's replies in its protocol, and what its
   * own wire requests must look like. Each fake answers a chat with "Hello from {provider}".
   */
  abstract static class Protocol {
    final String provider;
    final String model;
    /** Where the translated request names the tool the SDK declared. */
    final String toolPointer;
    /** The embedding model, or null when the provider has none. */
    final String embedModel;

    Protocol(String provider, String model, String toolPointer, String embedModel) {
      this.provider = provider;
      this.model = model;
      this.toolPointer = toolPointer;
      this.embedModel = embedModel;
    }

    /** The deployment's own keys under a model entry: endpoint, credentials, options. */
    abstract List<String> settings(FakeUpstream upstream);

    /** The {@code model} the SDK reads in an answer: the model that actually answered. */
    String answeredModel() {
      return model;
    }

    abstract Reply answer(String text);

    abstract Reply stream(String... pieces);

    /** An answer calling {@code get_weather} with {@link #toolArguments()}. */
    abstract Reply toolCall();

    String toolArguments() {
      return PARIS;
    }

    /** A stream calling {@code get_weather} with {@link #PARIS}. */
    abstract Reply toolStream();

    /** Asserts a chat request is in the provider's protocol: path, key header, translated body. */
    abstract void checkChat(RecordedRequest sent, JsonNode body, boolean stream);

    Reply embedding(float[] vector) {
      throw new UnsupportedOperationException(provider + " has no embeddings");
    }

    void checkEmbed(RecordedRequest sent, JsonNode body) {
      throw new UnsupportedOperationException(provider + " has no embeddings");
    }

    @Override
    public String toString() {
      return provider;
    }
  }

  static final Protocol ANTHROPIC = new Protocol("anthropic", AnthropicFixtures.MODEL, "/tools/0/name", null) {
    @Override
    List<String> settings(FakeUpstream upstream) {
      return List.of("api_base: " + upstream.url(), "api_key: sk-ant-api03-test-key", "max_tokens: 1024");
    }

    @Override
    Reply answer(String text) {
      return Reply.json(200, AnthropicFixtures.message(text, "end_turn"));
    }

    @Override
    Reply stream(String... pieces) {
      return Reply.sse(AnthropicFixtures.textStream(pieces));
    }

    @Override
    Reply toolCall() {
      return Reply.json(200, AnthropicFixtures.TOOL_USE);
    }

    @Override
    String toolArguments() {
      return "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}";
    }

    @Override
    Reply toolStream() {
      return Reply.sse(AnthropicFixtures.toolUseStream("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather", PARIS_PIECES));
    }

    @Override
    void checkChat(RecordedRequest sent, JsonNode body, boolean stream) {
      assertThat(sent.target()).isEqualTo("/v1/messages");
      assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-api03-test-key");
      assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
      assertThat(sent.header("authorization")).isNull();
      assertThat(body.path("system").toString()).as("the system prompt goes top-level").contains(SYSTEM);
      assertThat(body.at("/messages/0/role").asText()).isEqualTo("user");
      assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
      assertThat(body.path("stream").asBoolean()).isEqualTo(stream);
    }
  };

  static final Protocol GEMINI = new Protocol(
      "gemini", "gemini-2.5-flash", "/tools/0/functionDeclarations/0/name", "gemini-embedding-001") {
    @Override
    List<String> settings(FakeUpstream upstream) {
      return List.of("api_base: " + upstream.url("/v1beta"), "api_key: gm-test-key-0123456789");
    }

    @Override
    Reply answer(String text) {
      return Reply.json(200, GeminiFixtures.answer(text));
    }

    @Override
    Reply stream(String... pieces) {
      return Reply.sse(GeminiFixtures.textStreamOf(pieces));
    }

    @Override
    Reply toolCall() {
      return Reply.json(200, GeminiFixtures.FUNCTION_CALL);
    }

    @Override
    String toolArguments() {
      return "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
    }

    @Override
    Reply toolStream() {
      return Reply.sse(GeminiFixtures.functionCallStream("get_weather", PARIS));
    }

    @Override
    void checkChat(RecordedRequest sent, JsonNode body, boolean stream) {
      assertThat(sent.target()).isEqualTo(stream
          ? "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
          : "/v1beta/models/gemini-2.5-flash:generateContent");
      assertThat(sent.header("x-goog-api-key")).isEqualTo("gm-test-key-0123456789");
      assertThat(sent.header("authorization")).isNull();
      assertThat(body.at("/systemInstruction/parts/0/text").asText()).isEqualTo(SYSTEM);
      assertThat(body.at("/contents/0/role").asText()).isEqualTo("user");
    }

    @Override
    Reply embedding(float[] vector) {
      return Reply.json(200, GeminiFixtures.embeddings(vector));
    }

    @Override
    void checkEmbed(RecordedRequest sent, JsonNode body) {
      assertThat(sent.target()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
      assertThat(sent.header("x-goog-api-key")).isEqualTo("gm-test-key-0123456789");
      assertThat(body.at("/requests/0/model").asText()).isEqualTo("models/gemini-embedding-001");
      assertThat(body.at("/requests/0/content/parts/0/text").asText()).isEqualTo("some text");
    }
  };

  static final Protocol OLLAMA = new Protocol("ollama", OllamaFixtures.MODEL, "/tools/0/function/name", "all-minilm") {
    @Override
    List<String> settings(FakeUpstream upstream) {
      return List.of("api_base: " + upstream.url(), "keep_alive: 10m");
    }

    @Override
    Reply answer(String text) {
      return Reply.json(200, OllamaFixtures.chatAnswer(text));
    }

    @Override
    Reply stream(String... pieces) {
      return OllamaFixtures.chatStream(pieces);
    }

    @Override
    Reply toolCall() {
      return Reply.json(200, OllamaFixtures.toolCallAnswer("get_weather", toolArguments()));
    }

    @Override
    Reply toolStream() {
      return OllamaFixtures.toolCallStream("get_weather", PARIS);
    }

    @Override
    void checkChat(RecordedRequest sent, JsonNode body, boolean stream) {
      assertThat(sent.target()).isEqualTo("/api/chat");
      assertThat(sent.header("authorization")).as("Ollama takes no key").isNull();
      assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
      assertThat(body.at("/messages/0/content").asText()).isEqualTo(SYSTEM);
      assertThat(body.path("stream").isBoolean()).as("always sent: Ollama streams by default").isTrue();
      assertThat(body.path("stream").asBoolean()).isEqualTo(stream);
      assertThat(body.path("keep_alive").asText()).isEqualTo("10m");
    }

    @Override
    Reply embedding(float[] vector) {
      return Reply.json(200, OllamaFixtures.embeddings("all-minilm", vector));
    }

    @Override
    void checkEmbed(RecordedRequest sent, JsonNode body) {
      assertThat(sent.target()).isEqualTo("/api/embed");
      assertThat(body.path("model").asText()).isEqualTo("all-minilm");
      assertThat(body.at("/input/0").asText()).isEqualTo("some text");
    }
  };

  static final Protocol AZURE = new Protocol(
      "azure", "gpt-4o-prod", "/tools/0/function/name", "text-embedding-3-small") {
    @Override
    List<String> settings(FakeUpstream upstream) {
      return List.of("api_base: " + upstream.url(), "api_key: 0123456789abcdef0123456789abcdef",
          "api_version: 2024-10-21");
    }

    @Override
    String answeredModel() {
      return AzureFixtures.MODEL;
    }

    @Override
    Reply answer(String text) {
      return Reply.json(200, AzureFixtures.chatCompletion(text, "stop"));
    }

    @Override
    Reply stream(String... pieces) {
      return Reply.sse(AzureFixtures.stream(pieces));
    }

    @Override
    Reply toolCall() {
      return Reply.json(200, AzureFixtures.toolCallCompletion("call_8f2a", "get_weather", toolArguments()));
    }

    @Override
    Reply toolStream() {
      return Reply.sse(AzureFixtures.toolCallStream("call_8f2a", "get_weather", PARIS_PIECES));
    }

    @Override
    void checkChat(RecordedRequest sent, JsonNode body, boolean stream) {
      assertThat(sent.target()).isEqualTo("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
      assertThat(sent.header("api-key")).isEqualTo("0123456789abcdef0123456789abcdef");
      assertThat(sent.header("authorization")).isNull();
      assertThat(body.path("model").asText()).as("the deployment name").isEqualTo("gpt-4o-prod");
      assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
    }

    @Override
    Reply embedding(float[] vector) {
      return Reply.json(200, OpenAiFixtures.embeddings("text-embedding-3-small", vector));
    }

    @Override
    void checkEmbed(RecordedRequest sent, JsonNode body) {
      assertThat(sent.target())
          .isEqualTo("/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21");
      assertThat(sent.header("api-key")).isEqualTo("0123456789abcdef0123456789abcdef");
    }
  };

  static final Protocol BEDROCK = new Protocol(
      "bedrock", BedrockFixtures.MODEL, "/toolConfig/tools/0/toolSpec/name", BedrockFixtures.TITAN_EMBED) {
    @Override
    List<String> settings(FakeUpstream upstream) {
      return List.of("api_base: " + upstream.url(), "aws_region: us-east-1",
          "aws_access_key_id: " + BedrockFixtures.ACCESS_KEY, "aws_secret_access_key: " + BedrockFixtures.SECRET_KEY);
    }

    @Override
    Reply answer(String text) {
      return Reply.json(200, BedrockFixtures.converse(text, "end_turn"));
    }

    @Override
    Reply stream(String... pieces) {
      return BedrockFixtures.stream(BedrockFixtures.textStream(pieces));
    }

    @Override
    Reply toolCall() {
      return Reply.json(200, BedrockFixtures.toolUse("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "get_weather",
          toolArguments()));
    }

    @Override
    Reply toolStream() {
      return BedrockFixtures.stream(BedrockFixtures.toolUseStream("tooluse_abc", "get_weather", PARIS_PIECES));
    }

    @Override
    void checkChat(RecordedRequest sent, JsonNode body, boolean stream) {
      assertThat(sent.target()).isEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/"
          + (stream ? "converse-stream" : "converse"));
      assertSigned(sent);
      assertThat(body.at("/system/0/text").asText()).isEqualTo(SYSTEM);
      assertThat(body.at("/messages/0/content/0/text").asText()).isEqualTo("Hello!");
    }

    @Override
    Reply embedding(float[] vector) {
      return Reply.json(200, BedrockFixtures.titanEmbedding(vector, 3));
    }

    @Override
    void checkEmbed(RecordedRequest sent, JsonNode body) {
      assertThat(sent.target()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
      assertSigned(sent);
      assertThat(body.path("inputText").asText()).isEqualTo("some text");
    }

    /** SigV4 with the YAML's keys: credential scope, signed headers, a signature; the keys' secret never sent. */
    private static void assertSigned(RecordedRequest sent) {
      assertThat(sent.header("authorization"))
          .matches("AWS4-HMAC-SHA256 Credential=" + BedrockFixtures.ACCESS_KEY
              + "/\\d{8}/us-east-1/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*,"
              + " Signature=[0-9a-f]{64}");
      assertThat(sent.header("x-amz-date")).matches("\\d{8}T\\d{6}Z");
      assertThat(sent.headers().toString()).doesNotContain(BedrockFixtures.SECRET_KEY);
    }
  };

  static final Protocol COHERE = new Protocol("cohere", CohereFixtures.MODEL, "/tools/0/function/name", "embed-v4.0") {
    @Override
    List<String> settings(FakeUpstream upstream) {
      return List.of("api_base: " + upstream.url(), "api_key: co-test-key-0123456789abcdef");
    }

    @Override
    Reply answer(String text) {
      return Reply.json(200, CohereFixtures.textAnswer(text, "COMPLETE"));
    }

    @Override
    Reply stream(String... pieces) {
      return Reply.sse(CohereFixtures.textStream(pieces));
    }

    @Override
    Reply toolCall() {
      return Reply.json(200, CohereFixtures.toolCallAnswer("get_weather_1byjy32y4hvq", "get_weather",
          toolArguments()));
    }

    @Override
    Reply toolStream() {
      return Reply.sse(CohereFixtures.toolCallStream("get_weather_nsz5zm3w56q3", "get_weather", PARIS_PIECES));
    }

    @Override
    void checkChat(RecordedRequest sent, JsonNode body, boolean stream) {
      assertThat(sent.target()).isEqualTo("/v2/chat");
      assertThat(sent.header("authorization")).isEqualTo("Bearer co-test-key-0123456789abcdef");
      assertThat(body.path("model").asText()).isEqualTo(CohereFixtures.MODEL);
      assertThat(body.at("/messages/0/role").asText()).isEqualTo("system");
      assertThat(body.path("stream").asBoolean()).isEqualTo(stream);
    }

    @Override
    Reply embedding(float[] vector) {
      return Reply.json(200, CohereFixtures.embeddings(vector));
    }

    @Override
    void checkEmbed(RecordedRequest sent, JsonNode body) {
      assertThat(sent.target()).isEqualTo("/v2/embed");
      assertThat(sent.header("authorization")).isEqualTo("Bearer co-test-key-0123456789abcdef");
      assertThat(body.path("texts").toString()).isEqualTo("[\"some text\"]");
      assertThat(body.path("embedding_types").toString()).isEqualTo("[\"float\"]");
      assertThat(body.path("input_type").asText()).isEqualTo("search_document");
    }
  };

  static Stream<Protocol> protocols() {
    return Stream.of(ANTHROPIC, GEMINI, OLLAMA, AZURE, BEDROCK, COHERE);
  }

  static Stream<Protocol> withEmbeddings() {
    return protocols().filter(p -> p.embedModel != null);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Each provider, unchanged, through the SDK

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void aChatIsAnsweredInOpenAisShapeFromTheProvidersOwnProtocol(Protocol p) {
    FakeUpstream upstream = upstream();
    upstream.always(p.answer("Hello from " + p));
    OpenAIClient client = client(gatewayFor(p, upstream));

    HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(chat("chat"));
    ChatCompletion completion = raw.parse();

    assertThat(completion.choices().get(0).message().content()).hasValue("Hello from " + p);
    assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.model()).as("the provider's model").isEqualTo(p.answeredModel());
    assertThat(raw.headers().values("x-baton-model")).containsExactly("chat");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("1");
    RecordedRequest sent = upstream.lastRequest();
    p.checkChat(sent, json(sent), false);
    assertThat(sent.headers().toString()).as("the caller's key stays at the gateway").doesNotContain(MASTER_KEY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void aStreamedChatArrivesInOrderAndEndsCleanlyWithTheUsageChunk(Protocol p) {
    FakeUpstream upstream = upstream();
    upstream.always(p.stream("Hel", "lo from ", p.provider));
    OpenAIClient client = client(gatewayFor(p, upstream));
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
        client.chat().completions().withRawResponse().createStreaming(withUsage(chat("chat")));
    try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
      stream.stream().forEach(chunks::add);
    }

    assertThat(texts(chunks)).containsExactly("Hel", "lo from ", p.provider);
    assertThat(chunks).flatExtracting(ChatCompletionChunk::choices)
        .extracting(c -> c.finishReason().map(Object::toString).orElse(null))
        .as("one finish_reason, stop").containsOnlyOnce("stop");
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.choices()).as("the usage chunk has no choices").isEmpty();
    assertThat(last.usage()).isPresent();
    assertThat(last.usage().get().completionTokens()).isPositive();
    assertThat(raw.headers().values("x-baton-model")).containsExactly("chat");
    assertThat(raw.headers().values("x-baton-attempts")).as("the answering attempt counts").containsExactly("1");
    RecordedRequest sent = upstream.lastRequest();
    p.checkChat(sent, json(sent), true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void aToolCallArrivesAsOpenAiToolCallsWithJsonArguments(Protocol p) {
    FakeUpstream upstream = upstream();
    upstream.always(p.toolCall());
    OpenAIClient client = client(gatewayFor(p, upstream));

    ChatCompletion completion = client.chat().completions().create(chat("chat").toBuilder()
        .addTool(weatherTool()).build());

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.id()).isNotBlank();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(json(call.function().arguments())).isEqualTo(json(p.toolArguments()));
    assertThat(json(upstream.lastRequest()).at(p.toolPointer).asText())
        .as("the SDK's tool, declared in the provider's shape").isEqualTo("get_weather");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protocols")
  void aStreamedToolCallArrivesAsIndexedDeltasTheSdkCanJoin(Protocol p) {
    FakeUpstream upstream = upstream();
    upstream.always(p.toolStream());
    OpenAIClient client = client(gatewayFor(p, upstream));
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
        chat("chat").toBuilder().addTool(weatherTool()).build())) {
      stream.stream().forEach(chunks::add);
    }

    List<ChatCompletionChunk.Choice.Delta.ToolCall> deltas = chunks.stream()
        .flatMap(c -> c.choices().stream()).flatMap(c -> c.delta().toolCalls().stream().flatMap(List::stream))
        .toList();
    assertThat(deltas).extracting(ChatCompletionChunk.Choice.Delta.ToolCall::index).containsOnly(0L);
    assertThat(deltas.get(0).id()).as("the first fragment carries the id").hasValueSatisfying(id ->
        assertThat(id).isNotBlank());
    assertThat(deltas.get(0).function().flatMap(f -> f.name())).hasValue("get_weather");
    String arguments = deltas.stream().map(d -> d.function().flatMap(f -> f.arguments()).orElse(""))
        .reduce("", String::concat);
    assertThat(json(arguments)).isEqualTo(json(PARIS));
    assertThat(chunks).flatExtracting(ChatCompletionChunk::choices)
        .extracting(c -> c.finishReason().map(Object::toString).orElse(null))
        .as("the stream ends with tool_calls").containsOnlyOnce("tool_calls");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withEmbeddings")
  void embeddingsArriveInTheSdksDefaultBase64AndInFloats(Protocol p) {
    FakeUpstream upstream = upstream();
    upstream.always(p.embedding(VECTOR));
    OpenAIClient client = client(gatewayFor(p, upstream));

    CreateEmbeddingResponse byDefault = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("embed").input("some text").build());
    CreateEmbeddingResponse asFloats = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("embed").input("some text").encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());

    assertThat(byDefault.data().get(0).embedding()).containsExactly(0.5f, -0.25f, 1.5f);
    assertThat(asFloats.data().get(0).embedding()).containsExactly(0.5f, -0.25f, 1.5f);
    assertThat(upstream.requests()).hasSize(2).allSatisfy(sent -> p.checkEmbed(sent, json(sent)));
  }

  // ---------------------------------------------------------------------------------------------------------
  // A fallback chain across protocols: claude (anthropic) -> gemini (gemini) -> local (ollama)

  /** Three fake upstreams, each speaking its provider's protocol, and the SDK on a gateway chaining them. */
  record Chain(FakeUpstream claude, FakeUpstream gemini, FakeUpstream local, OpenAIClient client) {}

  Chain chain() {
    FakeUpstream claude = upstream();
    FakeUpstream gemini = upstream();
    FakeUpstream local = upstream();
    Gateway gateway = start("""
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
        models:
        %s
        %s
        %s
        router:
          retries: 0
          fallbacks:
            claude: [gemini]
            gemini: [local]
        """.formatted(MASTER_KEY, entry("claude", ANTHROPIC, claude), entry("gemini", GEMINI, gemini),
        entry("local", OLLAMA, local)));
    return new Chain(claude, gemini, local, client(gateway));
  }

  @Test
  void anOverloadedAnthropicAndAnUnavailableGeminiFallBackToOllama() {
    Chain c = chain();
    c.claude().always(Reply.json(529, AnthropicFixtures.OVERLOADED));
    c.gemini().always(Reply.json(503, GeminiFixtures.UNAVAILABLE));
    c.local().always(Reply.json(200, OllamaFixtures.chatAnswer("Hello from Ollama, third in line.")));

    HttpResponseFor<ChatCompletion> raw = c.client().chat().completions().withRawResponse().create(chat("claude"));
    ChatCompletion completion = raw.parse();

    assertThat(completion.choices().get(0).message().content()).hasValue("Hello from Ollama, third in line.");
    assertThat(completion.model()).isEqualTo(OllamaFixtures.MODEL);
    assertThat(raw.headers().values("x-baton-model")).containsExactly("local");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("3");
    ANTHROPIC.checkChat(c.claude().lastRequest(), json(c.claude().lastRequest()), false);
    GEMINI.checkChat(c.gemini().lastRequest(), json(c.gemini().lastRequest()), false);
    OLLAMA.checkChat(c.local().lastRequest(), json(c.local().lastRequest()), false);
    assertThat(List.of(c.claude(), c.gemini(), c.local())).allSatisfy(u -> assertThat(u.requests()).hasSize(1));
  }

  @Test
  void aStreamFallsBackTheSameWayBeforeItsFirstToken() {
    Chain c = chain();
    c.claude().always(Reply.json(529, AnthropicFixtures.OVERLOADED));
    c.gemini().always(Reply.json(503, GeminiFixtures.UNAVAILABLE));
    c.local().always(OllamaFixtures.chatStream("Hello ", "from ", "Ollama."));
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    HttpResponseFor<StreamResponse<ChatCompletionChunk>> raw =
        c.client().chat().completions().withRawResponse().createStreaming(withUsage(chat("claude")));
    try (StreamResponse<ChatCompletionChunk> stream = raw.parse()) {
      stream.stream().forEach(chunks::add);
    }

    assertThat(String.join("", texts(chunks))).isEqualTo("Hello from Ollama.");
    assertThat(chunks.get(chunks.size() - 1).usage()).isPresent();
    assertThat(raw.headers().values("x-baton-model")).containsExactly("local");
    assertThat(raw.headers().values("x-baton-attempts")).containsExactly("3");
    ANTHROPIC.checkChat(c.claude().lastRequest(), json(c.claude().lastRequest()), true);
    GEMINI.checkChat(c.gemini().lastRequest(), json(c.gemini().lastRequest()), true);
    OLLAMA.checkChat(c.local().lastRequest(), json(c.local().lastRequest()), true);
  }

  @Test
  void anAnthropicStreamCutMidAnswerIsFinishedByGeminiAskedToContinueIt() {
    Chain c = chain();
    // message_start, content_block_start, ping and two deltas; then the connection drops.
    c.claude().always(Reply.sse(AnthropicFixtures.textStream("The quick brown", " fox jumps", " over it all."))
        .cutAfter(5));
    // Gemini does as the continue turn asks: begins with the last words already written, then goes on.
    c.gemini().always(Reply.sse(GeminiFixtures.textStreamOf("fox jumps", " over the lazy", " dog.")));

    String text = streamedText(c.client(), chat("claude"));

    assertThat(text).isEqualTo("The quick brown fox jumps over the lazy dog.");
    JsonNode continuation = json(c.gemini().lastRequest());
    GEMINI.checkChat(c.gemini().lastRequest(), continuation, true);
    JsonNode contents = continuation.path("contents");
    assertThat(contents.get(contents.size() - 2).path("role").asText()).isEqualTo("model");
    assertThat(contents.get(contents.size() - 2).at("/parts/0/text").asText())
        .as("the text already sent, as Gemini's own turn").isEqualTo("The quick brown fox jumps");
    assertThat(contents.get(contents.size() - 1).path("role").asText())
        .as("then a user turn asking for the rest: Gemini takes no prefill").isEqualTo("user");
    assertThat(contents.get(contents.size() - 1).at("/parts/0/text").asText())
        .as("which asks the reply to begin with the last words, so its join can be checked")
        .endsWith("Its last words were:\n\nThe quick brown fox jumps");
    assertThat(c.local().requests()).isEmpty();
  }

  @Test
  void aGeminiStreamThatEndsWithoutItsFinishReasonIsFinishedByOllamaFromAPrefill() {
    Chain c = chain();
    c.gemini().always(Reply.sse(GeminiFixtures.unfinishedStream("Once upon", " a time")));
    c.local().always(OllamaFixtures.chatStream(" there was", " a gateway."));

    String text = streamedText(c.client(), chat("gemini"));

    assertThat(text).isEqualTo("Once upon a time there was a gateway.");
    JsonNode continuation = json(c.local().lastRequest());
    OLLAMA.checkChat(c.local().lastRequest(), continuation, true);
    JsonNode messages = continuation.path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    assertThat(last.path("role").asText()).as("Ollama continues a trailing assistant message")
        .isEqualTo("assistant");
    assertThat(last.path("content").asText()).isEqualTo("Once upon a time");
  }

  // ---------------------------------------------------------------------------------------------------------

  FakeUpstream upstream() {
    FakeUpstream upstream = FakeUpstream.start();
    opened.add(upstream);
    return upstream;
  }

  Gateway start(String yaml) {
    Gateway gateway = TestGateway.start(yaml);
    opened.add(gateway);
    return gateway;
  }

  /** A gateway serving the provider's chat model as {@code chat} and its embedding model as {@code embed}. */
  Gateway gatewayFor(Protocol p, FakeUpstream upstream) {
    String embed = p.embedModel == null ? "" : entry("embed", p, p.embedModel, upstream);
    return start("""
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
        models:
        %s
        %s
        router:
          retries: 0
        """.formatted(MASTER_KEY, entry("chat", p, upstream), embed));
  }

  static String entry(String name, Protocol p, FakeUpstream upstream) {
    return entry(name, p, p.model, upstream);
  }

  /** One {@code models:} entry, as a user would write it. */
  static String entry(String name, Protocol p, String model, FakeUpstream upstream) {
    StringBuilder yaml = new StringBuilder()
        .append("  - name: ").append(name).append('\n')
        .append("    provider: ").append(p.provider).append('\n')
        .append("    model: \"").append(model).append("\"\n")
        .append("    timeout: 5s\n")
        .append("    idle_timeout: 2s");
    for (String setting : p.settings(upstream)) {
      yaml.append("\n    ").append(setting);
    }
    return yaml.toString();
  }

  OpenAIClient client(Gateway gateway) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.url() + "/v1")
        .apiKey(MASTER_KEY)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
    opened.add(client::close);
    return client;
  }

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addSystemMessage(SYSTEM).addUserMessage("Hello!")
        .build();
  }

  static ChatCompletionCreateParams withUsage(ChatCompletionCreateParams params) {
    return params.toBuilder().streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
  }

  static ChatCompletionFunctionTool weatherTool() {
    return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
        .name("get_weather")
        .description("The current weather in a city")
        .parameters(FunctionParameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build()).build();
  }

  /** The non-empty text deltas of a stream, in order. */
  static List<String> texts(List<ChatCompletionChunk> chunks) {
    List<String> texts = new ArrayList<>();
    for (ChatCompletionChunk chunk : chunks) {
      chunk.choices().forEach(c -> c.delta().content().filter(t -> !t.isEmpty()).ifPresent(texts::add));
    }
    return texts;
  }

  /** Reads a whole stream through the SDK; a stream that ends in an error throws. */
  static String streamedText(OpenAIClient client, ChatCompletionCreateParams params) {
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }
    return String.join("", texts(chunks));
  }

  static JsonNode json(RecordedRequest request) {
    return json(request.bodyText());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }
}
