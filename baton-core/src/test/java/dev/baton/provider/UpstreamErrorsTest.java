package dev.baton.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AuthenticationException;
import dev.baton.BadRequestException;
import dev.baton.ContentPolicyException;
import dev.baton.ContextWindowExceededException;
import dev.baton.NotFoundException;
import dev.baton.QuotaExceededException;
import dev.baton.RateLimitedException;
import dev.baton.ServerErrorException;
import dev.baton.UpstreamException;
import dev.baton.wire.OpenAiErrorReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class UpstreamErrorsTest {

  private static final Call CALL = new Call("smart", "openai", Duration.ofSeconds(60), Duration.ofSeconds(20),
      Duration.ofSeconds(30), Long.MAX_VALUE);

  /** The phrases each test below covered, so that none in UpstreamErrors goes unpinned. */
  private static final Set<String> PINNED_CONTEXT = new LinkedHashSet<>();
  private static final Set<String> PINNED_CONTENT = new LinkedHashSet<>();

  @Nested
  class ProviderShapes {

    @Test
    void openAiInvalidApiKey() {
      UpstreamException e = classify(401, "{\"error\":{\"message\":\"Incorrect API key provided: sk-abc***xyz. You can"
          + " find your API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
          + "\"param\":null,\"code\":\"invalid_api_key\"}}");

      assertThat(e).isInstanceOf(AuthenticationException.class);
      assertThat(e.upstreamCode()).isEqualTo("invalid_api_key");
      assertThat(e.getMessage()).startsWith("401 invalid_api_key: Incorrect API key provided: ")
          .doesNotContain("sk-abc");
    }

    @Test
    void openAiRateLimit() {
      UpstreamException e = classify(429, "{\"error\":{\"message\":\"Rate limit reached for gpt-4o in organization"
          + " org-abc on tokens per min (TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 2s.\","
          + "\"type\":\"tokens\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}", Duration.ofSeconds(2));

      assertThat(e).isInstanceOf(RateLimitedException.class);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
      assertThat(e.status()).isEqualTo(429);
    }

    @Test
    void openAiInsufficientQuotaIsNotARateLimit() {
      UpstreamException e = classify(429, "{\"error\":{\"message\":\"You exceeded your current quota, please check your"
          + " plan and billing details.\",\"type\":\"insufficient_quota\",\"param\":null,"
          + "\"code\":\"insufficient_quota\"}}");

      assertThat(e).as("retrying a spent quota does not help").isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void openAiModelNotFound() {
      UpstreamException e = classify(404, "{\"error\":{\"message\":\"The model `gpt-5-ultra` does not exist or you do"
          + " not have access to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
          + "\"code\":\"model_not_found\"}}");

      assertThat(e).isInstanceOf(NotFoundException.class);
    }

    @Test
    void openAiServerError() {
      UpstreamException e = classify(500, "{\"error\":{\"message\":\"The server had an error while processing your"
          + " request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");

      assertThat(e).isInstanceOf(ServerErrorException.class);
      assertThat(e.getMessage()).isEqualTo("500 server_error: The server had an error while processing your request."
          + " Sorry about that!");
    }

    @Test
    void openAiContextLengthCode() {
      UpstreamException e = classify(400, "{\"error\":{\"message\":\"This model's maximum context length is 8192"
          + " tokens. However, your messages resulted in 8227 tokens. Please reduce the length of the messages.\","
          + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}");

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void openAiUsagePolicyRefusal() {
      UpstreamException e = classify(400, "{\"error\":{\"message\":\"Invalid prompt: your prompt was flagged as"
          + " potentially violating our usage policy. Please try again with a different prompt.\","
          + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_prompt\"}}");

      assertThat(e).isInstanceOf(ContentPolicyException.class);
    }

    @Test
    void vllmIntegerCodeBadRequest() {
      UpstreamException e = classify(400, "{\"error\":{\"message\":\"temperature must be non-negative, got -1.0.\","
          + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}");

      assertThat(e).isInstanceOf(BadRequestException.class);
    }

    @Test
    void vllmTopLevelObjectError() {
      UpstreamException e = classify(400, "{\"object\":\"error\",\"message\":\"This model's maximum context length is"
          + " 4096 tokens. However, you requested 4472 tokens (376 in the messages, 4096 in the completion). Please"
          + " reduce the length of the messages or completion.\",\"type\":\"BadRequestError\",\"param\":null,"
          + "\"code\":400}");

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void vllmNotFoundModel() {
      UpstreamException e = classify(404, "{\"object\":\"error\",\"message\":\"The model `llama` does not exist.\","
          + "\"type\":\"NotFoundError\",\"param\":null,\"code\":404}");

      assertThat(e).isInstanceOf(NotFoundException.class);
    }

    @Test
    void llamaCppExceedContextSize() {
      UpstreamException e = classify(400, "{\"error\":{\"code\":400,\"message\":\"request (4476 tokens) exceeds the"
          + " available context size (4096 tokens), try increasing it\",\"type\":\"exceed_context_size_error\","
          + "\"n_prompt_tokens\":4476,\"n_ctx\":4096}}");

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void llamaCppLoadingModel() {
      UpstreamException e = classify(503, "{\"error\":{\"code\":503,\"message\":\"Loading model\","
          + "\"type\":\"unavailable_error\"}}");

      assertThat(e).isInstanceOf(ServerErrorException.class);
    }

    @Test
    void lmStudioErrorUnderA200() {
      UpstreamException e = classify(200, "{\"error\":\"Unexpected endpoint or method. (POST /v1/foo). Returning 200"
          + " anyway\"}");

      assertThat(e).as("an error object under a success status is a server fault")
          .isInstanceOf(ServerErrorException.class);
      assertThat(e.getMessage()).contains("Unexpected endpoint or method");
    }

    @Test
    void mistralUnauthorizedMessage() {
      UpstreamException e = classify(401, "{\"message\":\"Unauthorized\",\"request_id\":\"7f0e5b3c\"}");

      assertThat(e).isInstanceOf(AuthenticationException.class);
      assertThat(e.getMessage()).isEqualTo("401: Unauthorized");
    }

    @Test
    void mistralUnauthorizedDetail() {
      UpstreamException e = classify(401, "{\"detail\":\"Unauthorized\"}");

      assertThat(e).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void mistralValidationError() {
      UpstreamException e = classify(422, "{\"detail\":[{\"type\":\"missing\",\"loc\":[\"body\",\"messages\"],"
          + "\"msg\":\"Field required\"}]}");

      assertThat(e).isInstanceOf(BadRequestException.class);
    }

    @Test
    void deepSeekInsufficientBalance() {
      UpstreamException e = classify(402, "{\"error\":{\"message\":\"Insufficient Balance\",\"type\":\"unknown_error\","
          + "\"param\":null,\"code\":\"invalid_request_error\"}}");

      assertThat(e).isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void deepSeekServerBusy() {
      UpstreamException e = classify(503, "{\"error\":{\"message\":\"Server is busy, please try again later.\","
          + "\"type\":\"unknown_error\",\"param\":null,\"code\":\"invalid_request_error\"}}");

      assertThat(e).isInstanceOf(ServerErrorException.class);
    }

    @Test
    void openRouterIntegerCodes() {
      UpstreamException credits = classify(402, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits. Add more"
          + " using https://openrouter.ai/credits\",\"metadata\":{}}}");
      UpstreamException limited = classify(429, "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded:"
          + " free-models-per-day. Add 10 credits to unlock 1000 free model requests per day\",\"metadata\":{}}}");
      UpstreamException moderated = classify(403, "{\"error\":{\"code\":403,\"message\":\"Input was flagged by"
          + " moderation\",\"metadata\":{\"reasons\":[\"violence\"]}}}");

      assertThat(credits).isInstanceOf(QuotaExceededException.class);
      assertThat(limited).isInstanceOf(RateLimitedException.class);
      assertThat(moderated).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void azureContentFilterWithInnerError() {
      UpstreamException e = classify(400, "{\"error\":{\"message\":\"The response was filtered due to the prompt"
          + " triggering Azure OpenAI's content management policy. Please modify your prompt and retry.\","
          + "\"type\":null,\"param\":\"prompt\",\"code\":\"content_filter\",\"status\":400,\"innererror\":{\"code\":"
          + "\"ResponsibleAIPolicyViolation\",\"content_filter_result\":{\"hate\":{\"filtered\":true}}}}}");

      assertThat(e).isInstanceOf(ContentPolicyException.class);
      assertThat(e.upstreamCode()).isEqualTo("ResponsibleAIPolicyViolation");
    }

    @Test
    void azureInvalidSubscriptionKey() {
      UpstreamException e = classify(401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid"
          + " subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription"
          + " and use a correct regional API endpoint for your resource.\"}}");

      assertThat(e).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void groqInvalidApiKey() {
      UpstreamException e = classify(401, "{\"error\":{\"message\":\"Invalid API Key\","
          + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");

      assertThat(e).isInstanceOf(AuthenticationException.class);
    }

    @Test
    void groqContextLength() {
      UpstreamException e = classify(400, "{\"error\":{\"message\":\"Please reduce the length of the messages or"
          + " completion.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
          + "\"code\":\"context_length_exceeded\"}}");

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void proxyHtmlPage() {
      UpstreamException e = classify(502, "<html><head><title>502 Bad Gateway</title></head></html>");

      assertThat(e).isInstanceOf(ServerErrorException.class);
      assertThat(e.status()).isEqualTo(502);
    }

    @Test
    void errorInsideAStreamWithoutStatus() {
      ErrorDetails details = OpenAiErrorReader.read(bytes("{\"error\":{\"message\":\"The server had an error while"
          + " processing your request.\",\"type\":\"server_error\"}}"));

      UpstreamException e = UpstreamErrors.classify(CALL, 0, null, details, null);

      assertThat(e).isInstanceOf(ServerErrorException.class);
      assertThat(e.getMessage()).startsWith("error in stream server_error: ");
      assertThat(e.status()).as("no upstream status: reported as a bad gateway").isEqualTo(502);
    }

    @Test
    void contextErrorInsideAStream() {
      ErrorDetails details = ErrorDetails.of("This model's maximum context length is 8192 tokens.");

      UpstreamException e = UpstreamErrors.classify(CALL, 0, null, details, null);

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void sourceNamesTheDeployment() {
      UpstreamException e = classify(503, "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}");

      assertThat(e.deployment()).isEqualTo("smart");
      assertThat(e.provider()).isEqualTo("openai");
      assertThat(e.httpStatus()).isEqualTo(503);
    }
  }

  @Nested
  class Statuses {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "400, BadRequestException",
        "401, AuthenticationException",
        "402, QuotaExceededException",
        "403, AuthenticationException",
        "404, NotFoundException",
        "408, ServerErrorException",
        "409, ServerErrorException",
        "413, BadRequestException",
        "422, BadRequestException",
        "429, RateLimitedException",
        "498, AuthenticationException",
        "499, ServerErrorException",
        "500, ServerErrorException",
        "502, ServerErrorException",
        "503, ServerErrorException",
        "504, ServerErrorException",
        "529, ServerErrorException"})
    void eachStatusWithAPlainMessage(int status, String expected) {
      UpstreamException e = UpstreamErrors.classify(CALL, status, null, ErrorDetails.of("something went wrong"), null);

      assertThat(e.getClass().getSimpleName()).as("HTTP %d", status).isEqualTo(expected);
      assertThat(e.httpStatus()).isEqualTo(status);
    }

    @Test
    void anthropicOverloaded529() {
      UpstreamException e = UpstreamErrors.classify(CALL, 529, null,
          ErrorDetails.of("Overloaded", "overloaded_error"), null);

      assertThat(e).isInstanceOf(ServerErrorException.class);
    }

    @Test
    void retryAfterIsKept() {
      UpstreamException e = UpstreamErrors.classify(CALL, 503, Duration.ofSeconds(7), ErrorDetails.NONE, null);

      assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void emptyDetailsStillDescribeTheStatus() {
      UpstreamException e = UpstreamErrors.classify(CALL, 500, null, ErrorDetails.NONE, null);

      assertThat(e.getMessage()).isEqualTo("500");
    }
  }

  @Nested
  class ContextPhrases {

    static Stream<Arguments> realMessages() {
      return Stream.of(
          // OpenAI, DeepSeek, OpenRouter ("This endpoint's maximum context length is ...").
          Arguments.of("maximum context length", "This model's maximum context length is 8192 tokens. However, your"
              + " messages resulted in 8227 tokens. Please reduce the length of the messages."),
          // Mistral.
          Arguments.of("maximum context length", "Prompt contains 40000 tokens and 0 draft tokens, too large for model"
              + " with 32768 maximum context length"),
          // vLLM 0.16+.
          Arguments.of("context length is only", "You passed 31745 input tokens and requested 1024 output tokens."
              + " However, the model's context length is only 32768 tokens, resulting in a maximum input length of"
              + " 31744 tokens. Please reduce the length of the input prompt. (parameter=input_tokens, value=31745)"),
          // A code written into the message by a proxy.
          Arguments.of("context_length_exceeded", "Error code: 400 - context_length_exceeded"),
          // Anthropic (anthropics/claude-code#12186).
          Arguments.of("prompt is too long", "prompt is too long: 208310 tokens > 200000 maximum"),
          // Bedrock ValidationException.
          Arguments.of("input is too long", "Input is too long for requested model."),
          // Gemini.
          Arguments.of("exceeds the maximum number of tokens", "The input token count (1200293) exceeds the maximum"
              + " number of tokens allowed (1048576)."),
          // llama.cpp server.
          Arguments.of("exceeds the available context size", "the request exceeds the available context size, try"
              + " increasing it"),
          // Anthropic-compatible and Bedrock wordings.
          Arguments.of("exceeds the context window", "Your input exceeds the context window of this model. Please"
              + " adjust your input and try again."),
          Arguments.of("context window exceeded", "Context window exceeded: reduce the prompt"),
          // Groq.
          Arguments.of("reduce the length of the messages", "Please reduce the length of the messages or completion."),
          // Cohere.
          Arguments.of("too many tokens: total number of tokens", "too many tokens: total number of tokens in the"
              + " prompt cannot exceed 4081 - received 4853. Try using a shorter prompt, or enabling prompt truncating."),
          Arguments.of("too many tokens: the total number of", "too many tokens: the total number of tokens (prompt"
              + " and prediction) cannot exceed 4081 - received 4853. Try using a shorter prompt."),
          Arguments.of("too many tokens: size limit exceeded", "too many tokens: size limit exceeded by 1523 tokens."
              + " Try using shorter or fewer inputs, or setting prompt_truncation='AUTO'."),
          // Ollama.
          Arguments.of("exceeds the context length", "the input length exceeds the context length"),
          // xAI.
          Arguments.of("maximum prompt length", "This model's maximum prompt length is 131072 but the request contains"
              + " 537812 tokens."),
          // Together AI, SGLang.
          Arguments.of("is longer than the model's context length", "The input (9000 tokens) is longer than the"
              + " model's context length (8192 tokens)."),
          // vLLM before 0.16.
          Arguments.of("is longer than the maximum model length", "The decoder prompt (length 12324) is longer than"
              + " the maximum model length of 8192. Make sure that `max_model_len` is no smaller than the number of"
              + " text tokens."),
          Arguments.of("too long to fit into the model", "The prompt (total length 25938) is too long to fit into the"
              + " model (context length 4096). Make sure that `max_model_len` is no smaller than the number of text"
              + " tokens plus multimodal tokens."),
          // LM Studio.
          Arguments.of("greater than the context length", "The number of tokens to keep from the initial prompt is"
              + " greater than the context length. Try to load the model with a larger context length, or provide a"
              + " shorter input"),
          // Anthropic, when input and max_tokens together overflow (continuedev/continue#8454).
          Arguments.of("exceed context limit", "input length and `max_tokens` exceed context limit: 143653 + 64000 >"
              + " 200000, decrease input length or `max_tokens` and try again"),
          // Text Generation Inference's validation errors.
          Arguments.of("tokens + `max_new_tokens` must be <=", "Input validation error: `inputs` tokens +"
              + " `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 200 `max_new_tokens`"),
          Arguments.of("`inputs` must have less than", "Input validation error: `inputs` must have less than 4096"
              + " tokens. Given: 5120"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realMessages")
    void eachPhraseOnA400IsAContextWindowError(String phrase, String message) {
      UpstreamException e = UpstreamErrors.classify(CALL, 400, null, ErrorDetails.of(message), null);

      assertThat(message.toLowerCase(java.util.Locale.ROOT)).as("the test's message holds its phrase").contains(phrase);
      assertThat(e).as(message).isInstanceOf(ContextWindowExceededException.class);
      PINNED_CONTEXT.add(phrase);
    }

    @Test
    void theSamePhraseOnA5xxIsAServerError() {
      UpstreamException e = UpstreamErrors.classify(CALL, 500, null,
          ErrorDetails.of("This model's maximum context length is 8192 tokens."), null);

      assertThat(e).as("message text is read only on a 4xx").isInstanceOf(ServerErrorException.class);
    }

    @Test
    void bedrockThrottlingIsARateLimitNotAContextError() {
      UpstreamException e = UpstreamErrors.classify(CALL, 429, null,
          ErrorDetails.of("Too many tokens, please wait before trying again.", "ThrottlingException"), null);

      assertThat(e).as("a rate limit is retried; a context error never is").isInstanceOf(RateLimitedException.class);
    }

    @Test
    void tokensPerMinuteRateLimitIsARateLimit() {
      UpstreamException e = UpstreamErrors.classify(CALL, 429, null,
          ErrorDetails.of("Rate limit exceeded: too many tokens per minute"), null);

      assertThat(e).isInstanceOf(RateLimitedException.class);
    }

    @Test
    void rateLimitCodeInAStreamIsARateLimit() {
      UpstreamException e = UpstreamErrors.classify(CALL, 0, null,
          ErrorDetails.of("Too many tokens, please wait before trying again.", "rate_limit_exceeded"), null);

      assertThat(e).isInstanceOf(RateLimitedException.class);
    }

    @ParameterizedTest
    @CsvSource({"context_length_exceeded", "exceed_context_size_error", "context_window_exceeded",
        "model_context_window_exceeded", "CONTEXT_LENGTH_EXCEEDED"})
    void contextCodesDecideWhateverTheStatus(String code) {
      UpstreamException e = UpstreamErrors.classify(CALL, 500, null, ErrorDetails.of("x", code), null);

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }
  }

  @Nested
  class ContentPhrases {

    static Stream<Arguments> realMessages() {
      return Stream.of(
          // Azure OpenAI prompt filter (openai/openai-dotnet#55).
          Arguments.of("content management policy", "The response was filtered due to the prompt triggering Azure"
              + " OpenAI's content management policy. Please modify your prompt and retry."),
          // OpenAI images.
          Arguments.of("content policy", "Your request was rejected as it may contain content that violates our"
              + " content policy."),
          Arguments.of("content_policy_violation", "Error code: 400 - content_policy_violation"),
          Arguments.of("safety system", "Your request was rejected as a result of our safety system. Your prompt may"
              + " contain text that is not allowed by our safety system."),
          // OpenAI reasoning models (code invalid_prompt).
          Arguments.of("violating our usage policy", "Invalid prompt: your prompt was flagged as potentially violating"
              + " our usage policy. Please try again with a different prompt."),
          Arguments.of("responsibleaipolicyviolation", "ResponsibleAIPolicyViolation: the prompt was filtered"),
          Arguments.of("blocked by the content filter", "The request was blocked by the content filter."),
          // Azure's documentation link text.
          Arguments.of("content filtering policies", "To learn more about our content filtering policies please read"
              + " our documentation."),
          // DeepSeek.
          Arguments.of("content exists risk", "Content Exists Risk"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realMessages")
    void eachPhraseOnA400IsAContentPolicyRefusal(String phrase, String message) {
      UpstreamException e = UpstreamErrors.classify(CALL, 400, null, ErrorDetails.of(message), null);

      assertThat(message.toLowerCase(java.util.Locale.ROOT)).as("the test's message holds its phrase").contains(phrase);
      assertThat(e).as(message).isInstanceOf(ContentPolicyException.class);
      PINNED_CONTENT.add(phrase);
    }

    @Test
    void deepSeekContentRiskAsDetail() {
      UpstreamException e = classify(400, "{\"detail\":\"Content Exists Risk\"}");

      assertThat(e).isInstanceOf(ContentPolicyException.class);
    }

    @ParameterizedTest
    @CsvSource({"content_policy_violation", "content_filter", "ResponsibleAIPolicyViolation", "SAFETY",
        "PROHIBITED_CONTENT", "guardrail_intervened"})
    void contentCodesDecide(String code) {
      UpstreamException e = UpstreamErrors.classify(CALL, 400, null, ErrorDetails.of("refused", code), null);

      assertThat(e).isInstanceOf(ContentPolicyException.class);
    }
  }

  /** The OpenAI-compatible presets' own shapes, each as the provider writes it. */
  @Nested
  class PresetShapes {

    @Test
    void xaiAnswersAWrongKeyWithA400() {
      UpstreamException e = classify(400, "{\"code\":\"Client specified an invalid argument\",\"error\":\"Incorrect"
          + " API key provided: na***ys. You can obtain an API key from https://console.x.ai.\"}");

      assertThat(e).as("a key refused with a 400 (continuedev/continue#10778) is still a key refused")
          .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void xaiOutOfCreditsIsAQuotaThoughItSays429() {
      UpstreamException e = classify(429, "{\"code\":\"Some resource has been exhausted\",\"error\":\"Your team"
          + " 16f2151a-40f4-4a80-8ad0-cae00c27e8dd has either used all available credits or reached its monthly"
          + " spending limit. To continue making API requests, please purchase more credits or raise your spending"
          + " limit.\"}");

      assertThat(e).as("continuedev/continue#10373").isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void anOrdinaryThrottleIsStillARateLimit() {
      UpstreamException e = classify(429, "{\"message\":\"Rate limit exceeded\",\"type\":\"rate_limit_error\","
          + "\"param\":null,\"code\":\"rate_limit_error\"}");

      assertThat(e).as("Cerebras's top-level shape").isInstanceOf(RateLimitedException.class);
      assertThat(e.upstreamCode()).isEqualTo("rate_limit_error");
    }

    @Test
    void huggingFaceWithoutAProviderForTheModelIsNotFound() {
      UpstreamException e = classify(400, "{\"error\":\"The requested model 'moonshotai/Kimi-K2-Instruct' is not"
          + " supported by any provider you have enabled.\"}");

      assertThat(e).as("cline/cline#5098: another deployment may serve it").isInstanceOf(NotFoundException.class);
    }

    @Test
    void aModelNotSupportedCodeIsNotFound() {
      UpstreamException e = classify(400, "{\"message\":\"The requested model is not supported.\",\"code\":"
          + "\"model_not_supported\",\"param\":\"model\",\"type\":\"invalid_request_error\"}");

      assertThat(e).isInstanceOf(NotFoundException.class);
    }

    @Test
    void tgiOverloadedIsAServerFault() {
      UpstreamException e = classify(429, "{\"error\":\"Model is overloaded\",\"error_type\":\"overloaded\"}");
      UpstreamException validation = classify(422, "{\"error\":\"Input validation error: `temperature` must be"
          + " strictly positive\",\"error_type\":\"validation\"}");

      assertThat(e).isInstanceOf(RateLimitedException.class);
      assertThat(e.upstreamCode()).isEqualTo("overloaded");
      assertThat(validation).isInstanceOf(BadRequestException.class);
    }

    @Test
    void perplexitysErrorCarriesAnIntegerCode() {
      UpstreamException e = classify(401, "{\"error\":{\"code\":401,\"message\":\"Invalid API key\","
          + "\"type\":\"invalid_api_key\"}}");

      assertThat(e).isInstanceOf(AuthenticationException.class);
      assertThat(e.getMessage()).contains("Invalid API key");
    }

    /** RFC 9457 problem details, the shape NVIDIA's hosted API answers in (its exact wording unverified here). */
    @Test
    void problemDetailsAreRead() {
      UpstreamException e = classify(422, "{\"type\":\"about:blank\",\"status\":422,\"title\":\"Unprocessable"
          + " Entity\",\"detail\":\"Inference error: maximum context length is 4096 tokens\"}");

      assertThat(e).isInstanceOf(ContextWindowExceededException.class);
    }

    @Test
    void vertexWrapsItsErrorInAnArray() {
      UpstreamException e = classify(429, "[{\"error\":{\"code\":429,\"message\":\"Quota exceeded for"
          + " aiplatform.googleapis.com/online_prediction_requests_per_base_model with base model:"
          + " anthropic-claude-3-5-sonnet-v2.\",\"status\":\"RESOURCE_EXHAUSTED\"}}]");

      assertThat(e).isInstanceOf(RateLimitedException.class);
      assertThat(e.getMessage()).contains("Quota exceeded");
    }
  }

  @Test
  void secretEchoedInTheMessageIsRemoved() {
    UpstreamException e = UpstreamErrors.classify(CALL, 401, null,
        ErrorDetails.of("key my-own-proxy-key-123 is not valid"), "my-own-proxy-key-123");

    assertThat(e.getMessage()).isEqualTo("401: key *** is not valid");
  }

  @AfterAll
  static void everyPhraseIsPinned() {
    if (PINNED_CONTEXT.isEmpty() && PINNED_CONTENT.isEmpty()) {
      return; // a filtered run that did not reach the phrase tests
    }
    assertThat(PINNED_CONTEXT).as("context phrases pinned by a real message")
        .containsExactlyInAnyOrderElementsOf(UpstreamErrors.CONTEXT_PHRASES);
    assertThat(PINNED_CONTENT).as("content phrases pinned by a real message")
        .containsExactlyInAnyOrderElementsOf(UpstreamErrors.CONTENT_PHRASES);
  }

  private static UpstreamException classify(int status, String body) {
    return classify(status, body, null);
  }

  private static UpstreamException classify(int status, String body, Duration retryAfter) {
    return UpstreamErrors.classify(CALL, status, retryAfter, OpenAiErrorReader.read(bytes(body)), null);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
