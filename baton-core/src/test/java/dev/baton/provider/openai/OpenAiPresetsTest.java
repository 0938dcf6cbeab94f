package dev.baton.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.AuthenticationException;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ConfigException;
import dev.baton.ContextWindowExceededException;
import dev.baton.FinishReason;
import dev.baton.NotFoundException;
import dev.baton.QuotaExceededException;
import dev.baton.RateLimitedException;
import dev.baton.Tool;
import dev.baton.UpstreamException;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.provider.Call;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderTests;
import dev.baton.provider.Providers;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import dev.baton.transport.HttpTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenAI-compatible presets of contract section 14, each driven over real HTTP: where its key and
 * endpoint come from, what goes out, and how each one's own answers, errors and rate-limit headers come
 * back.
 */
class OpenAiPresetsTest {

  private static final String KEY = "preset-test-key-9f8e7d6c5b4a";

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

  /** Name, default endpoint, key variable (null for none), whether a key is required, base variable. */
  static Stream<Arguments> presets() {
    return Stream.of(
        Arguments.of("xai", "https://api.x.ai/v1", "XAI_API_KEY", true, "XAI_BASE_URL"),
        Arguments.of("fireworks", "https://api.fireworks.ai/inference/v1", "FIREWORKS_API_KEY", true,
            "FIREWORKS_BASE_URL"),
        Arguments.of("perplexity", "https://api.perplexity.ai", "PERPLEXITY_API_KEY", true, "PERPLEXITY_BASE_URL"),
        Arguments.of("cerebras", "https://api.cerebras.ai/v1", "CEREBRAS_API_KEY", true, "CEREBRAS_BASE_URL"),
        Arguments.of("sambanova", "https://api.sambanova.ai/v1", "SAMBANOVA_API_KEY", true, "SAMBANOVA_BASE_URL"),
        Arguments.of("deepinfra", "https://api.deepinfra.com/v1/openai", "DEEPINFRA_API_KEY", true,
            "DEEPINFRA_BASE_URL"),
        Arguments.of("nebius", "https://api.studio.nebius.com/v1", "NEBIUS_API_KEY", true, "NEBIUS_BASE_URL"),
        Arguments.of("nvidia", "https://integrate.api.nvidia.com/v1", "NVIDIA_API_KEY", true, "NVIDIA_BASE_URL"),
        Arguments.of("huggingface", "https://router.huggingface.co/v1", "HUGGINGFACE_API_KEY", true,
            "HUGGINGFACE_BASE_URL"),
        Arguments.of("azure-ai", null, "AZURE_AI_API_KEY", true, "AZURE_AI_BASE_URL"),
        Arguments.of("cloudflare", "https://api.cloudflare.com/client/v4/accounts/${CLOUDFLARE_ACCOUNT_ID}/ai/v1",
            "CLOUDFLARE_API_KEY", true, "CLOUDFLARE_BASE_URL"),
        Arguments.of("vllm", "http://localhost:8000/v1", "VLLM_API_KEY", false, "VLLM_BASE_URL"),
        Arguments.of("llamacpp", "http://localhost:8080/v1", "LLAMACPP_API_KEY", false, "LLAMACPP_BASE_URL"),
        Arguments.of("lmstudio", "http://localhost:1234/v1", "LMSTUDIO_API_KEY", false, "LMSTUDIO_BASE_URL"),
        Arguments.of("tgi", "http://localhost:8080/v1", "TGI_API_KEY", false, "TGI_BASE_URL"));
  }

  private static OpenAiFactory preset(String name) {
    return (OpenAiFactory) Providers.get(name);
  }

  private Provider create(String name, String model, Map<String, String> env) {
    return preset(name).create(ModelConfig.builder("p", name, model).timeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofSeconds(2)).build(), new ProviderContext(Environment.of(env), http));
  }

  /** A deployment of the preset whose endpoint and key come from its environment variables. */
  private Provider onFake(String name, String model) {
    OpenAiFactory preset = preset(name);
    return create(name, model, Map.of(preset.baseVariable(), upstream.url("/v1"), preset.keyVariable(), KEY));
  }

  private static Call call() {
    return new Call("p", "preset", Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2),
        Long.MAX_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void eachPresetIsAnOpenAiEndpointWithItsOwnVariables(
      String name, String defaultBase, String keyVariable, boolean keyRequired, String baseVariable) {
    OpenAiFactory preset = preset(name);

    assertThat(preset).as("provider %s is registered", name).isNotNull();
    assertThat(preset.defaultBase()).isEqualTo(defaultBase);
    assertThat(preset.keyVariable()).isEqualTo(keyVariable);
    assertThat(preset.baseVariable()).isEqualTo(baseVariable);
    assertThat(preset.key() != OpenAiFactory.KeyPolicy.OPTIONAL).isEqualTo(keyRequired);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void eachPresetSendsTheChatWithItsKeyAndReadsTheAnswer(String name) {
    upstream.always(Reply.json(200, OpenAiFixtures.chatCompletion("some-model", "Hello from " + name)));

    ChatResponse answer = onFake(name, "some-model").chat(ChatRequest.of("Hello"), call());

    assertThat(upstream.lastRequest().path()).isEqualTo("/v1/chat/completions");
    assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer " + KEY);
    assertThat(ProviderTests.body(upstream.lastRequest()).path("model").asText()).isEqualTo("some-model");
    assertThat(answer.text()).isEqualTo("Hello from " + name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("presets")
  void eachPresetStreamsAndAsksForUsageOnlyWhereItIsAccepted(String name) {
    upstream.always(Reply.sse(OpenAiFixtures.stream("some-model", "Hel", "lo")));

    List<ChatChunk> chunks = ProviderTests.drain(onFake(name, "some-model").streamChat(ChatRequest.of("Hi"), call()));

    JsonNode sent = ProviderTests.body(upstream.lastRequest());
    assertThat(sent.path("stream").asBoolean()).isTrue();
    assertThat(sent.path("stream_options").path("include_usage").asBoolean(false))
        .as("stream_options sent to %s", name).isEqualTo(preset(name).streamUsage());
    assertThat(chunks.stream().map(ChatChunk::content).filter(c -> c != null).collect(Collectors.joining()))
        .isEqualTo("Hello");
  }

  @Test
  void aHostedPresetWithoutAKeyIsAStartUpErrorNamingTheVariable() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> create("cerebras", "llama3.1-8b", Map.of()));

    assertThat(e.getMessage()).contains("provider cerebras needs an API key").contains("CEREBRAS_API_KEY");
  }

  @Test
  void aSelfHostedPresetNeedsNoKeyAndUsesItsUsualPort() {
    Provider vllm = create("vllm", "Qwen/Qwen3-8B", Map.of());

    assertThat(vllm).isNotNull();
    assertThat(preset("vllm").defaultBase()).isEqualTo("http://localhost:8000/v1");
  }

  @Test
  void nvidiaNeedsAKeyForItsHostedApiButNotForASelfHostedNim() {
    ConfigException hosted = catchThrowableOfType(ConfigException.class,
        () -> create("nvidia", "meta/llama-3.3-70b-instruct", Map.of()));
    upstream.always(Reply.json(200, OpenAiFixtures.chatCompletion("meta/llama-3.3-70b-instruct", "Hi")));

    Provider nim = create("nvidia", "meta/llama-3.3-70b-instruct", Map.of("NVIDIA_BASE_URL", upstream.url("/v1")));
    nim.chat(ChatRequest.of("Hello"), call());

    assertThat(hosted.getMessage()).contains("NVIDIA_API_KEY");
    assertThat(upstream.lastRequest().header("authorization")).isNull();
  }

  @Test
  void huggingFaceAlsoReadsHfToken() {
    upstream.always(Reply.json(200, OpenAiFixtures.chatCompletion("openai/gpt-oss-120b", "Hi")));

    create("huggingface", "openai/gpt-oss-120b", Map.of("HUGGINGFACE_BASE_URL", upstream.url("/v1"),
        "HF_TOKEN", "hf_token_from_the_hub")).chat(ChatRequest.of("Hello"), call());

    assertThat(upstream.lastRequest().header("authorization")).isEqualTo("Bearer hf_token_from_the_hub");
  }

  @Test
  void azureAiNeedsAnEndpointAndVersionsItsModelInferenceApi() {
    ConfigException noEndpoint = catchThrowableOfType(ConfigException.class,
        () -> create("azure-ai", "Llama-3.3-70B-Instruct", Map.of("AZURE_AI_API_KEY", KEY)));
    upstream.always(Reply.json(200, OpenAiFixtures.chatCompletion("Llama-3.3-70B-Instruct", "Hi")));

    create("azure-ai", "Llama-3.3-70B-Instruct", Map.of("AZURE_AI_API_KEY", KEY, "AZURE_AI_BASE_URL",
        upstream.url("/models"))).chat(ChatRequest.of("Hello"), call());
    String inference = upstream.lastRequest().target();
    create("azure-ai", "gpt-4o", Map.of("AZURE_AI_API_KEY", KEY, "AZURE_AI_BASE_URL",
        upstream.url("/openai/v1"))).chat(ChatRequest.of("Hello"), call());

    assertThat(noEndpoint.getMessage()).contains("AZURE_AI_BASE_URL");
    assertThat(inference).isEqualTo("/models/chat/completions?api-version=2024-05-01-preview");
    assertThat(upstream.lastRequest().target()).as("the OpenAI v1 API takes no version")
        .isEqualTo("/openai/v1/chat/completions");
  }

  @Test
  void cloudflareReadsItsAccountIntoTheEndpoint() {
    ConfigException noAccount = catchThrowableOfType(ConfigException.class,
        () -> create("cloudflare", "@cf/meta/llama-3.1-8b-instruct", Map.of("CLOUDFLARE_API_KEY", KEY)));
    Provider cloudflare = create("cloudflare", "@cf/meta/llama-3.1-8b-instruct",
        Map.of("CLOUDFLARE_API_TOKEN", KEY, "CLOUDFLARE_ACCOUNT_ID", "023e105f4ecef8ad9ca31a8372d0c353"));
    upstream.always(Reply.json(401, "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":"
        + "\"Authentication error\"}],\"messages\":[],\"result\":null}"));

    UpstreamException refused = catchThrowableOfType(UpstreamException.class,
        () -> onFake("cloudflare", "@cf/meta/llama-3.1-8b-instruct").chat(ChatRequest.of("Hi"), call()));

    assertThat(noAccount.getMessage()).contains("CLOUDFLARE_ACCOUNT_ID");
    assertThat(cloudflare).isNotNull();
    assertThat(refused).isInstanceOf(AuthenticationException.class);
    assertThat(refused.getMessage()).contains("10000").contains("Authentication error");
  }

  @Test
  void perplexitysCitationsStayInTheAnswerAndEveryChunk() {
    String answer = """
        {"id":"pplx-1","model":"sonar","created":1733300000,"object":"chat.completion",
         "citations":["https://en.wikipedia.org/wiki/Rayleigh_scattering","https://www.nasa.gov/sky"],
         "search_results":[{"title":"Rayleigh scattering","url":"https://en.wikipedia.org/wiki/Rayleigh_scattering"}],
         "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
           "content":"Rayleigh scattering makes the sky blue [1][2]."}}],
         "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,"citation_tokens":430,
                  "num_search_queries":1}}""";
    upstream.enqueue(Reply.json(200, answer));
    upstream.enqueue(Reply.sse(List.of(
        "data: {\"id\":\"pplx-2\",\"model\":\"sonar\",\"created\":1733300000,\"object\":\"chat.completion.chunk\","
            + "\"citations\":[\"https://www.nasa.gov/sky\"],\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
            + "\"content\":\"Rayleigh\"}}]}\n\n",
        "data: {\"id\":\"pplx-2\",\"model\":\"sonar\",\"created\":1733300000,\"object\":\"chat.completion.chunk\","
            + "\"citations\":[\"https://www.nasa.gov/sky\"],\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
            + "\"delta\":{\"role\":\"assistant\",\"content\":\" scattering [1].\"}}],\"usage\":{\"prompt_tokens\":9,"
            + "\"completion_tokens\":4,\"total_tokens\":13,\"citation_tokens\":120,\"num_search_queries\":1}}\n\n",
        OpenAiFixtures.DONE)));
    Provider perplexity = onFake("perplexity", "sonar");

    ChatResponse whole = perplexity.chat(ChatRequest.of("Why is the sky blue?"), call());
    List<ChatChunk> chunks = ProviderTests.drain(perplexity.streamChat(ChatRequest.of("Why is the sky blue?"), call()));

    assertThat(new String(whole.upstreamBody(), StandardCharsets.UTF_8))
        .contains("\"citations\":[\"https://en.wikipedia.org/wiki/Rayleigh_scattering\"")
        .contains("\"search_results\"");
    assertThat(chunks).filteredOn(c -> c.content() != null).allSatisfy(c ->
        assertThat(new String(c.upstreamBody(), StandardCharsets.UTF_8)).contains("https://www.nasa.gov/sky"));
    assertThat(chunks).anySatisfy(c -> assertThat(c.finishReason()).isEqualTo(FinishReason.STOP));
  }

  @Test
  void aToolCallComesBackFromAPreset() {
    upstream.always(Reply.json(200, """
        {"id":"chatcmpl-x","object":"chat.completion","created":1733300000,"model":"grok-4",
         "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
           "tool_calls":[{"id":"call_8f2","type":"function","function":{"name":"get_weather",
             "arguments":"{\\"city\\":\\"Paris\\"}"}}]}}],
         "usage":{"prompt_tokens":60,"completion_tokens":18,"total_tokens":78}}"""));
    Tool weather = Tool.function("get_weather", "Current weather", "{\"type\":\"object\",\"properties\":"
        + "{\"city\":{\"type\":\"string\"}}}");

    ChatResponse answer = onFake("xai", "grok-4").chat(ChatRequest.builder().user("Weather?").tool(weather).build(),
        call());

    assertThat(ProviderTests.body(upstream.lastRequest()).path("tools").get(0).path("function").path("name").asText())
        .isEqualTo("get_weather");
    assertThat(answer.toolCalls()).singleElement().satisfies(c -> assertThat(c.arguments()).isEqualTo(
        "{\"city\":\"Paris\"}"));
  }

  @Test
  void cerebrasThrottleWaitsForTheWindowThatIsSpent() {
    upstream.always(Reply.json(429, "{\"message\":\"Tokens per minute limit exceeded - too many tokens processed.\","
            + "\"type\":\"too_many_tokens_error\",\"param\":\"quota\",\"code\":\"token_quota_exceeded\"}")
        .header("x-ratelimit-remaining-requests-day", "14000")
        .header("x-ratelimit-reset-requests-day", "33011.382867")
        .header("x-ratelimit-remaining-tokens-minute", "0")
        .header("x-ratelimit-reset-tokens-minute", "11.38"));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> onFake("cerebras", "llama3.1-8b").chat(ChatRequest.of("Hi"), call()));

    assertThat(e.retryAfter()).contains(Duration.ofMillis(11380));
  }

  @Test
  void aRetryAfterHeaderWinsOverTheResetHeaders() {
    upstream.always(Reply.json(429, "{\"message\":\"Rate limit exceeded\",\"type\":\"rate_limit_error\"}")
        .header("retry-after", "2")
        .header("x-ratelimit-remaining-tokens-minute", "0")
        .header("x-ratelimit-reset-tokens-minute", "40"));

    RateLimitedException e = catchThrowableOfType(RateLimitedException.class,
        () -> onFake("cerebras", "llama3.1-8b").chat(ChatRequest.of("Hi"), call()));

    assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
  }

  @Test
  void eachPresetsOwnErrorsLandInTheRightClass() {
    assertThat(failure("xai", 400, "{\"code\":\"Client specified an invalid argument\",\"error\":\"Incorrect API key"
        + " provided: xa***9z. You can obtain an API key from https://console.x.ai.\"}"))
        .isInstanceOf(AuthenticationException.class);
    assertThat(failure("xai", 429, "{\"code\":\"Some resource has been exhausted\",\"error\":\"Your team t-1 has either"
        + " used all available credits or reached its monthly spending limit.\"}"))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(failure("xai", 400, "{\"code\":\"Client specified an invalid argument\",\"error\":\"This model's"
        + " maximum prompt length is 131072 but the request contains 537812 tokens.\"}"))
        .isInstanceOf(ContextWindowExceededException.class);
    assertThat(failure("huggingface", 400, "{\"error\":\"The requested model 'x/y' is not supported by any provider"
        + " you have enabled.\"}")).isInstanceOf(NotFoundException.class);
    assertThat(failure("tgi", 422, "{\"error\":\"Input validation error: `inputs` tokens + `max_new_tokens` must be"
        + " <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`\",\"error_type\":\"validation\"}"))
        .isInstanceOf(ContextWindowExceededException.class);
    assertThat(failure("perplexity", 401, "{\"error\":{\"code\":401,\"message\":\"Invalid API key\","
        + "\"type\":\"invalid_api_key\"}}")).isInstanceOf(AuthenticationException.class);
  }

  private UpstreamException failure(String name, int status, String body) {
    upstream.always(Reply.json(status, body));
    UpstreamException e = catchThrowableOfType(UpstreamException.class,
        () -> onFake(name, "m").chat(ChatRequest.of("Hi"), call()));
    assertThat(e).as("%s's %d", name, status).isNotNull();
    assertThat(e.getMessage()).doesNotContain(KEY);
    return e;
  }
}
