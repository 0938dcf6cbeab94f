package dev.baton.provider.bedrock;

import static dev.baton.testkit.BedrockFixtures.ACCESS_KEY;
import static dev.baton.testkit.BedrockFixtures.MODEL;
import static dev.baton.testkit.BedrockFixtures.SECRET_KEY;
import static dev.baton.testkit.BedrockFixtures.error;
import static dev.baton.testkit.BedrockFixtures.stream;
import static dev.baton.testkit.BedrockFixtures.textStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.Attempt;
import dev.baton.Baton;
import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.RateLimitedException;
import dev.baton.Usage;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.BedrockFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bedrock as one model in Baton's ordered list, with the router and an OpenAI-compatible fallback. */
class BedrockThroughBatonTest {

  private static final Map<String, String> AWS_ENV = Map.of(
      "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);

  private static ModelConfig bedrock(FakeUpstream upstream) {
    return ModelConfig.builder("claude", "bedrock", MODEL).apiBase(upstream.url())
        .timeout(Duration.ofSeconds(5)).idleTimeout(Duration.ofSeconds(2)).build();
  }

  private static ModelConfig openAi(FakeUpstream upstream) {
    return ModelConfig.builder("gpt", "openai-compatible", "gpt-4o-mini").apiBase(upstream.url("/v1"))
        .apiKey("sk-test-gpt-secret-key-123456").timeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void aThrottledBedrockModelFallsBackToTheNextModel() {
    try (FakeUpstream aws = FakeUpstream.start(); FakeUpstream openai = FakeUpstream.start()) {
      aws.always(error(429, "ThrottlingException", "Too many tokens, please wait before trying again."));
      openai.always(Reply.json(200, OpenAiFixtures.chatCompletion("gpt-4o-mini", "Hi from the fallback")));
      try (Baton baton = Baton.builder().model(bedrock(aws)).model(openAi(openai)).environment(AWS_ENV)
          .fallbacks("claude", "gpt").retries(1).build()) {

        ChatResponse r = baton.chat("Hello, fallback models!");

        assertThat(r.text()).isEqualTo("Hi from the fallback");
        assertThat(r.model()).isEqualTo("gpt");
        assertThat(r.attempts()).extracting(Attempt::model).containsExactly("claude", "claude", "gpt");
        assertThat(r.attempts()).extracting(Attempt::outcome)
            .containsExactly(Attempt.Outcome.FAILED, Attempt.Outcome.FAILED, Attempt.Outcome.SUCCEEDED);
        assertThat(r.attempts().get(0).errorClass()).isEqualTo(RateLimitedException.class);
        assertThat(r.attempts().get(0).provider()).isEqualTo("bedrock");
        assertThat(r.attempts().get(0).reason()).contains("ThrottlingException").doesNotContain(SECRET_KEY);
        assertThat(aws.requests()).hasSize(2);
        assertThat(aws.lastRequest().header("authorization"))
            .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
            .contains("/us-east-1/bedrock/aws4_request");
      }
    }
  }

  @Test
  void aBedrockStreamIsServedThroughBaton() {
    try (FakeUpstream aws = FakeUpstream.start()) {
      aws.always(stream(textStream("Hello", ", ", "world!")));
      try (Baton baton = Baton.builder().model(bedrock(aws)).environment(AWS_ENV).build();
          ChatStream s = baton.stream(ChatRequest.builder().user("Hi").includeUsage(true).build())) {
        StringBuilder text = new StringBuilder();
        Usage usage = null;
        for (ChatChunk chunk : s) {
          text.append(chunk.text());
          if (chunk.usage() != null) {
            usage = chunk.usage();
          }
        }

        assertThat(text.toString()).isEqualTo("Hello, world!");
        assertThat(usage).isEqualTo(Usage.of(9, 4));
        assertThat(s.attempts()).extracting(Attempt::outcome).containsExactly(Attempt.Outcome.SUCCEEDED);
      }
    }
  }

  @Test
  void aBedrockStreamCutMidAnswerIsFinishedByTheFallbackNotEndedEarly() {
    try (FakeUpstream aws = FakeUpstream.start(); FakeUpstream openai = FakeUpstream.start()) {
      aws.always(stream(textStream("Once ", "upon ", "a time")).cutAfter(3));
      // The fallback tells the story anew: what Bedrock already sent is skipped.
      openai.always(Reply.sse(OpenAiFixtures.stream("gpt-4o-mini", "Once upon", " a time, the end.")));
      try (Baton baton = Baton.builder().model(bedrock(aws)).model(openAi(openai)).environment(AWS_ENV)
          .fallbacks("claude", "gpt").retries(0).build();
          ChatStream s = baton.stream("Tell a story")) {

        ChatResponse whole = s.collect();

        assertThat(whole.text()).isEqualTo("Once upon a time, the end.");
        assertThat(whole.model()).isEqualTo("gpt");
        assertThat(openai.lastRequest().bodyText()).contains("Once upon ");
      }
    }
  }

  @Test
  void aYamlDeploymentTakesItsAwsSettingsAsOptions() {
    try (FakeUpstream aws = FakeUpstream.start()) {
      aws.always(Reply.json(200, BedrockFixtures.converse("From YAML", "end_turn")));
      String yaml = """
          models:
            - name: claude
              provider: bedrock
              model: %s
              api_base: %s
              aws_region: eu-west-3
              aws_access_key_id: ${KEY_ID}
              aws_secret_access_key: ${SECRET}
              aws_session_token: ${TOKEN}
          """.formatted(MODEL, aws.url());
      Environment env =
          Environment.of(Map.of("KEY_ID", ACCESS_KEY, "SECRET", SECRET_KEY, "TOKEN", "FwoGZXIvYXdzEXAMPLE"));
      BatonConfig config = ConfigLoader.parse(yaml, "baton.yaml", env);

      try (Baton baton = Baton.builder().config(config).environment(Map.of()).build()) {
        assertThat(baton.chat("Hi").text()).isEqualTo("From YAML");
      }
      assertThat(aws.lastRequest().header("authorization")).contains("/eu-west-3/bedrock/aws4_request");
      assertThat(aws.lastRequest().header("x-amz-security-token")).isEqualTo("FwoGZXIvYXdzEXAMPLE");
    }
  }
}
