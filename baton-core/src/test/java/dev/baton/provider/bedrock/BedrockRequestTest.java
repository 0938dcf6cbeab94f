package dev.baton.provider.bedrock;

import static dev.baton.provider.bedrock.Bedrock.body;
import static dev.baton.provider.bedrock.Bedrock.call;
import static dev.baton.provider.bedrock.Bedrock.deployment;
import static dev.baton.provider.bedrock.Bedrock.json;
import static dev.baton.provider.bedrock.Bedrock.provider;
import static dev.baton.testkit.BedrockFixtures.ACCESS_KEY;
import static dev.baton.testkit.BedrockFixtures.MODEL;
import static dev.baton.testkit.BedrockFixtures.SECRET_KEY;
import static dev.baton.testkit.BedrockFixtures.SESSION_TOKEN;
import static dev.baton.testkit.BedrockFixtures.converse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.ContentPart;
import dev.baton.Message;
import dev.baton.Tool;
import dev.baton.ToolChoice;
import dev.baton.UnsupportedRequestException;
import dev.baton.provider.Provider;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.transport.HttpTransport;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What Baton sends to Bedrock: the signed HTTP request and the Converse body. */
class BedrockRequestTest {

  private static final String WEATHER_SCHEMA =
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
  private static final Tool WEATHER = Tool.function("get_weather", "Current weather", WEATHER_SCHEMA);
  private static final String PIXEL =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  private FakeUpstream upstream;
  private HttpTransport http;
  private Provider provider;

  @BeforeEach
  void start() {
    upstream = FakeUpstream.start();
    upstream.always(Reply.json(200, converse("Hi!", "end_turn")));
    http = new HttpTransport();
    provider = provider(http, deployment("claude", upstream, MODEL).build());
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
  }

  private RecordedRequest send(ChatRequest request) {
    provider.chat(request, call());
    return upstream.lastRequest();
  }

  @Test
  void aConverseCallIsSignedExactlyAsSigV4Prescribes() throws Exception {
    RecordedRequest sent = send(ChatRequest.builder().system("Be brief.").user("Hello").maxTokens(100)
        .temperature(0.2).build());

    assertThat(sent.method()).isEqualTo("POST");
    assertThat(sent.target()).as("the model id is one path segment with ':' encoded")
        .isEqualTo("/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
    assertThat(sent.bodyText()).isEqualTo("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}],"
        + "\"system\":[{\"text\":\"Be brief.\"}],\"inferenceConfig\":{\"maxTokens\":100,\"temperature\":0.2}}");
    assertThat(sent.header("content-type")).isEqualTo("application/json");
    assertThat(sent.header("x-amz-date")).isEqualTo("20250304T050607Z");
    assertThat(sent.header("x-amz-security-token")).isEqualTo(SESSION_TOKEN);

    // The canonical request written out by hand from what arrived: the path encoded once more, the host
    // exactly as the client sent it, the signed headers sorted.
    String canonical = "POST\n"
        + "/model/us.anthropic.claude-3-5-haiku-20241022-v1%253A0/converse\n"
        + "\n"
        + "content-type:application/json\n"
        + "host:" + sent.header("host") + "\n"
        + "x-amz-date:20250304T050607Z\n"
        + "x-amz-security-token:" + SESSION_TOKEN + "\n"
        + "\n"
        + "content-type;host;x-amz-date;x-amz-security-token\n"
        + sha256Hex(sent.body());
    String stringToSign = "AWS4-HMAC-SHA256\n20250304T050607Z\n20250304/us-east-1/bedrock/aws4_request\n"
        + sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), "20250304");
    key = hmac(hmac(hmac(key, "us-east-1"), "bedrock"), "aws4_request");
    String signature = HexFormat.of().formatHex(hmac(key, stringToSign));

    assertThat(sent.header("host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(sent.header("authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
        + "/20250304/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"
        + " Signature=" + signature);
    assertThat(sent.headers().toString()).as("the secret key itself never travels").doesNotContain(SECRET_KEY);
  }

  @Test
  void anInferenceProfileArnStaysOnePathSegment() {
    String arn = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
    Provider byArn = provider(http, deployment("claude", upstream, arn).build());

    byArn.chat(ChatRequest.of("Hi"), call());

    assertThat(upstream.lastRequest().target()).isEqualTo("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012"
        + "%3Ainference-profile%2Fus.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse");
  }

  /** Converse is Bedrock's one chat API for every family: Nova, Llama and Mistral take the same body. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"us.amazon.nova-pro-v1:0",
      "meta.llama3-3-70b-instruct-v1:0", "mistral.mistral-large-2407-v1:0"})
  void theOtherFamiliesSpeakConverseToo(String model) {
    Provider other = provider(http, deployment("other", upstream, model).build());

    String answer = other.chat(ChatRequest.builder().system("Be brief.").user("Hi").build(), call()).text();

    assertThat(upstream.lastRequest().target())
        .isEqualTo("/model/" + model.replace(":", "%3A") + "/converse");
    assertThat(body(upstream.lastRequest()).path("system").get(0).path("text").asText()).isEqualTo("Be brief.");
    assertThat(body(upstream.lastRequest()).at("/messages/0/content/0/text").asText()).isEqualTo("Hi");
    assertThat(answer).isEqualTo("Hi!");
  }

  @Test
  void aBedrockApiKeyIsSentAsABearerTokenInsteadOfASignature() {
    Provider withKey = provider(http, deployment("claude", upstream, MODEL).apiKey("bedrock-api-key-ABSKexample")
        .build());

    withKey.chat(ChatRequest.of("Hi"), call());

    RecordedRequest sent = upstream.lastRequest();
    assertThat(sent.header("authorization")).isEqualTo("Bearer bedrock-api-key-ABSKexample");
    assertThat(sent.header("x-amz-date")).isNull();
  }

  @Test
  void systemAndDeveloperMessagesBecomeSystemBlocksAndTurnsOfOneRoleAreMerged() {
    RecordedRequest sent = send(ChatRequest.builder()
        .system("You are terse.")
        .message(Message.of(dev.baton.Role.DEVELOPER, "Answer in French."))
        .user("Hello")
        .user("Are you there?")
        .assistant("Oui.")
        .user("")
        .user("Bye")
        .build());

    assertThat(body(sent)).isEqualTo(json("""
        {"messages":[
          {"role":"user","content":[{"text":"Hello"},{"text":"Are you there?"}]},
          {"role":"assistant","content":[{"text":"Oui."}]},
          {"role":"user","content":[{"text":"Bye"}]}],
         "system":[{"text":"You are terse."},{"text":"Answer in French."}]}"""));
  }

  @Test
  void inferenceSettingsGoInInferenceConfigAndUnsupportedOnesAreNotSent() {
    RecordedRequest sent = send(ChatRequest.builder().user("Hi").maxCompletionTokens(256).temperature(0.7)
        .topP(0.9).stop("END", "STOP").seed(42L).presencePenalty(0.5).n(1).build());

    assertThat(body(sent)).isEqualTo(json("""
        {"messages":[{"role":"user","content":[{"text":"Hi"}]}],
         "inferenceConfig":{"maxTokens":256,"temperature":0.7,"topP":0.9,"stopSequences":["END","STOP"]}}"""));
  }

  @Test
  void toolsAndToolChoiceBecomeToolConfig() {
    RecordedRequest auto = send(ChatRequest.builder().user("Weather?").tool(WEATHER).toolChoice(ToolChoice.AUTO)
        .build());
    assertThat(body(auto).get("toolConfig")).isEqualTo(json("""
        {"tools":[{"toolSpec":{"name":"get_weather","description":"Current weather",
          "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}],
         "toolChoice":{"auto":{}}}"""));

    RecordedRequest required = send(ChatRequest.builder().user("Weather?").tool(WEATHER)
        .toolChoice(ToolChoice.REQUIRED).build());
    assertThat(body(required).at("/toolConfig/toolChoice")).isEqualTo(json("{\"any\":{}}"));

    RecordedRequest named = send(ChatRequest.builder().user("Weather?").tool(WEATHER)
        .toolChoice(ToolChoice.function("get_weather")).build());
    assertThat(body(named).at("/toolConfig/toolChoice")).isEqualTo(json("{\"tool\":{\"name\":\"get_weather\"}}"));

    RecordedRequest none = send(ChatRequest.builder().user("Weather?").tool(WEATHER).toolChoice(ToolChoice.NONE)
        .build());
    assertThat(body(none).has("toolConfig")).as("Converse has no 'none': the tools are left out").isFalse();
  }

  @Test
  void aToolCallAndItsResultsRoundTrip() {
    upstream.enqueue(Reply.json(200, """
        {"output":{"message":{"role":"assistant","content":[
          {"text":"Let me check."},
          {"toolUse":{"toolUseId":"tooluse_paris","name":"get_weather","input":{"city":"Paris"}}},
          {"toolUse":{"toolUseId":"tooluse_rome","name":"get_weather","input":{"city":"Rome","unit":"C"}}}]}},
         "stopReason":"tool_use","usage":{"inputTokens":40,"outputTokens":30,"totalTokens":70}}"""));
    ChatRequest first = ChatRequest.builder().user("Weather in Paris and Rome?").tool(WEATHER).build();
    ChatResponse calls = provider.chat(first, call());

    ChatRequest second = first.toBuilder()
        .message(calls.message())
        .message(Message.tool("tooluse_paris", "18C sunny"))
        .message(Message.tool("tooluse_rome", "22C cloudy"))
        .user("And tomorrow?")
        .build();
    RecordedRequest sent = send(second);

    assertThat(body(sent).get("messages")).isEqualTo(json("""
        [{"role":"user","content":[{"text":"Weather in Paris and Rome?"}]},
         {"role":"assistant","content":[{"text":"Let me check."},
           {"toolUse":{"toolUseId":"tooluse_paris","name":"get_weather","input":{"city":"Paris"}}},
           {"toolUse":{"toolUseId":"tooluse_rome","name":"get_weather","input":{"city":"Rome","unit":"C"}}}]},
         {"role":"user","content":[
           {"toolResult":{"toolUseId":"tooluse_paris","content":[{"text":"18C sunny"}]}},
           {"toolResult":{"toolUseId":"tooluse_rome","content":[{"text":"22C cloudy"}]}},
           {"text":"And tomorrow?"}]}]"""));
    assertThat(body(sent).has("toolConfig")).as("tool history needs the tool definitions").isTrue();
  }

  @Test
  void toolHistoryWithoutToolDefinitionsIsRefusedBeforeSending() {
    ChatRequest request = ChatRequest.builder()
        .user("Weather?")
        .message(Message.assistant(null, List.of(new dev.baton.ToolCall("t1", "get_weather", "{\"city\":\"Oslo\"}"))))
        .message(Message.tool("t1", "cold"))
        .build();

    assertThatThrownBy(() -> provider.chat(request, call()))
        .isInstanceOf(UnsupportedRequestException.class)
        .hasMessageContaining("toolConfig");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void anInlineImageIsSentAsBase64BytesWithItsFormat() {
    RecordedRequest sent = send(ChatRequest.builder().message(Message.user(List.of(
        ContentPart.text("What is this?"),
        ContentPart.image("data:image/png;base64," + PIXEL)))).build());

    assertThat(body(sent).get("messages")).isEqualTo(json("""
        [{"role":"user","content":[{"text":"What is this?"},
          {"image":{"format":"png","source":{"bytes":"%s"}}}]}]""".formatted(PIXEL)));
  }

  @Test
  void anImageByLinkIsRefusedBeforeSendingBecauseConverseOnlyTakesBytes() {
    ChatRequest request = ChatRequest.builder().message(Message.user(List.of(
        ContentPart.text("What is this?"), ContentPart.image("https://example.com/cat.png")))).build();

    assertThatThrownBy(() -> provider.chat(request, call()))
        .isInstanceOf(UnsupportedRequestException.class)
        .hasMessageContaining("data: URLs");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void aTrailingAssistantTurnIsSentAsPrefillWithoutTrailingWhitespace() {
    RecordedRequest sent = send(ChatRequest.builder().user("Count to five").assistant("1, 2, 3, ").build());

    assertThat(body(sent).at("/messages/1")).isEqualTo(json("""
        {"role":"assistant","content":[{"text":"1, 2, 3,"}]}"""));
  }

  private static String sha256Hex(byte[] data) throws Exception {
    return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }
}
