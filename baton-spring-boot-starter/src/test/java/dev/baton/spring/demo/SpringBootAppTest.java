package dev.baton.spring.demo;

import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.Attempt;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A whole Spring Boot application with the starter, OpenAI as the primary and Anthropic as the fallback,
 * both fake servers: the Spring AI ChatModel and ChatClient (with a tool, and streaming) answer through
 * failures of the primary, and Actuator's health and metrics endpoints show Baton.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.endpoints.web.exposure.include=health,metrics",
        "management.endpoint.health.show-details=always", "baton.router.retries=0"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBootAppTest {

  static final FakeUpstream OPENAI = FakeUpstream.start();
  static final FakeUpstream ANTHROPIC = FakeUpstream.start();
  static final Reply OPENAI_DOWN = Reply.json(500, error("The server had an error.", "server_error", null));
  static final ObjectMapper JSON = new ObjectMapper();

  @DynamicPropertySource
  static void batonPointedAtTheFakes(DynamicPropertyRegistry registry) {
    registry.add("baton.models", () -> "openai/gpt-4o, anthropic/claude-3-5-haiku-latest");
    registry.add("OPENAI_API_KEY", () -> "sk-fake-openai");
    registry.add("OPENAI_BASE_URL", () -> OPENAI.url("/v1"));
    registry.add("ANTHROPIC_API_KEY", () -> "sk-ant-fake");
    registry.add("ANTHROPIC_BASE_URL", ANTHROPIC::url);
  }

  @AfterAll
  static void stopTheFakes() {
    OPENAI.close();
    ANTHROPIC.close();
  }

  @Autowired
  ChatModel chatModel;

  @Autowired
  ChatClient.Builder chatClients;

  @LocalServerPort
  int port;

  static final class WeatherTools {
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Tool(description = "The current weather in a city")
    String weather(String city) {
      asked.add(city);
      return "18 degrees and sunny in " + city;
    }
  }

  @Test
  @Order(2)
  void theChatModelAnswersFromTheFallbackWithUsageModelAndAttempts() {
    OPENAI.always(OPENAI_DOWN);
    ANTHROPIC.enqueue(Reply.json(200, AnthropicFixtures.message("Hello from Claude.", "end_turn")));

    ChatResponse response = chatModel.call(new Prompt("Hello"));

    assertThat(response.getResult().getOutput().getText()).isEqualTo("Hello from Claude.");
    assertThat(response.getMetadata().getModel()).isEqualTo("anthropic/claude-3-5-haiku-latest");
    assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(12);
    assertThat(response.getMetadata().getUsage().getCompletionTokens()).isEqualTo(9);
    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("STOP");
    List<Attempt> attempts = response.getMetadata().get("baton.attempts");
    assertThat(attempts).extracting(Attempt::model).containsExactly("openai/gpt-4o",
        "anthropic/claude-3-5-haiku-latest");
  }

  @Test
  @Order(3)
  void theChatModelHandsToolCallsBackWithTheirDefinitionsSent() throws Exception {
    OPENAI.always(OPENAI_DOWN);
    ANTHROPIC.enqueue(Reply.json(200, AnthropicFixtures.TOOL_USE));
    Prompt prompt = new Prompt("Weather in San Francisco?", dev.baton.spring.BatonChatOptions.builder()
        .toolCallbacks(List.of(org.springframework.ai.support.ToolCallbacks.from(new WeatherTools()))).build());

    ChatResponse response = chatModel.call(prompt);

    assertThat(response.hasToolCalls()).isTrue();
    assertThat(response.getResult().getOutput().getToolCalls()).singleElement().satisfies(call -> {
      assertThat(call.id()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
      assertThat(call.name()).isEqualTo("get_weather");
      assertThat(JSON.readTree(call.arguments()).get("location").asText()).isEqualTo("San Francisco, CA");
    });
    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualTo("TOOL_CALLS");
    assertThat(JSON.readTree(ANTHROPIC.lastRequest().body()).get("tools").get(0).get("name").asText())
        .isEqualTo("weather");
  }

  @Test
  @Order(4)
  void theChatClientRunsAToolThroughTheFallback() throws Exception {
    OPENAI.always(OPENAI_DOWN);
    ANTHROPIC.enqueue(
        Reply.json(200, """
            {"id":"msg_tool","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
             "content":[{"type":"tool_use","id":"toolu_paris","name":"weather","input":{"city":"Paris"}}],
             "stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":300,"output_tokens":30}}"""),
        Reply.json(200, AnthropicFixtures.message("It is 18 degrees and sunny in Paris.", "end_turn")));
    WeatherTools tools = new WeatherTools();

    String answer = chatClients.build().prompt("What is the weather in Paris?").tools(tools).call().content();

    assertThat(answer).isEqualTo("It is 18 degrees and sunny in Paris.");
    assertThat(tools.asked).containsExactly("Paris");
    JsonNode toolTurn = JSON.readTree(ANTHROPIC.lastRequest().body());
    assertThat(toolTurn.get("tools").get(0).get("name").asText()).isEqualTo("weather");
    assertThat(toolTurn.get("tools").get(0).get("input_schema").get("properties").has("city")).isTrue();
    JsonNode result = toolTurn.get("messages").get(2).get("content").get(0);
    assertThat(result.get("type").asText()).isEqualTo("tool_result");
    assertThat(result.get("tool_use_id").asText()).isEqualTo("toolu_paris");
    assertThat(result.toString()).contains("18 degrees and sunny in Paris");
  }

  /** First, while the primary's circuit is closed: later tests open it. */
  @Test
  @Order(1)
  void theChatClientStreamsOneWholeAnswerAcrossABrokenPrimary() {
    OPENAI.enqueue(Reply.sse(OpenAiFixtures.stream("gpt-4o", "The answer ", "to everything ", "is 42.")).cutAfter(3))
        .always(OPENAI_DOWN);
    ANTHROPIC.enqueue(Reply.sse(AnthropicFixtures.textStream("is 42.")));

    List<String> pieces = chatClients.build().prompt("What is the answer?").stream().content().collectList().block();

    assertThat(String.join("", pieces)).isEqualTo("The answer to everything is 42.");
  }

  @Test
  @Order(5)
  void actuatorShowsBatonsHealthAndMeters() throws Exception {
    OPENAI.always(OPENAI_DOWN);
    ANTHROPIC.always(Reply.json(200, AnthropicFixtures.message("ok", "end_turn")));
    for (int i = 0; i < 3; i++) {
      chatModel.call(new Prompt("Hello"));
    }

    JsonNode health = get("/actuator/health");
    JsonNode attempts = get("/actuator/metrics/baton.attempts");
    JsonNode names = get("/actuator/metrics");

    assertThat(health.get("status").asText()).as("the primary is open but the fallback answers").isEqualTo("UP");
    JsonNode baton = health.get("components").get("baton");
    assertThat(baton.get("status").asText()).isEqualTo("UP");
    assertThat(baton.get("details").get("deployments").get("openai/gpt-4o").get("circuit").asText()).isEqualTo("OPEN");
    assertThat(baton.get("details").get("deployments").get("anthropic/claude-3-5-haiku-latest").get("circuit")
        .asText()).isEqualTo("CLOSED");
    assertThat(baton.get("details").get("models").get("openai/gpt-4o").asText()).isEqualTo("UP");
    assertThat(attempts.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(6);
    assertThat(attempts.get("availableTags").toString()).contains("anthropic/claude-3-5-haiku-latest", "succeeded",
        "server_error");
    assertThat(names.get("names")).extracting(JsonNode::asText).contains("baton.attempts", "baton.fallbacks",
        "baton.circuit.state", "baton.deployment.available", "gen_ai.client.operation");
  }

  private JsonNode get(String path) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path + " answered " + response.body()).isEqualTo(200);
      return JSON.readTree(response.body());
    }
  }
}
