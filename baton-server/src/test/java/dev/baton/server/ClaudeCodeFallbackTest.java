package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.GeminiFixtures;
import dev.baton.testkit.Reply;
import dev.baton.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A coding agent's session, in the shape Claude Code sends it (streamed, system blocks and tools with
 * cache marks, thinking, beta headers, tool results), kept working by Gemini while Anthropic is overloaded:
 * the tool call Gemini makes reaches the agent as a {@code tool_use} block, and the next turn, carrying
 * that call's result, goes to Gemini as a function response.
 */
class ClaudeCodeFallbackTest {

  final FakeUpstream anthropic = FakeUpstream.start();
  final FakeUpstream gemini = FakeUpstream.start();
  final Gateway gateway = TestGateway.start("""
      server:
        host: 127.0.0.1
        port: 0
        master_key: agent-key
      models:
        - name: claude-sonnet-4-5
          provider: anthropic
          model: claude-sonnet-4-5-20250929
          api_base: %s
          api_key: sk-ant-upstream
        - name: gemini
          provider: gemini
          model: gemini-2.5-flash
          api_base: %s
          api_key: gemini-upstream-key
      router:
        retries: 0
        fallbacks:
          claude-sonnet-4-5: [gemini]
      """.formatted(anthropic.url(), gemini.url()));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void close() {
    gateway.close();
    http.close();
    anthropic.close();
    gemini.close();
  }

  static final String SYSTEM_AND_TOOLS = """
      "system":[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude."},
                {"type":"text","text":"Working directory: /repo","cache_control":{"type":"ephemeral"}}],
      "tools":[{"name":"Read","description":"Reads a file from the local filesystem.",
                "input_schema":{"type":"object","properties":{"file_path":{"type":"string"}},
                                "required":["file_path"],"additionalProperties":false,
                                "$schema":"http://json-schema.org/draft-07/schema#"}},
               {"name":"Bash","description":"Executes a bash command.",
                "input_schema":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]},
                "cache_control":{"type":"ephemeral"}}],
      "metadata":{"user_id":"user_abc_account_123_session_456"},
      "thinking":{"type":"enabled","budget_tokens":4000},
      "max_tokens":32000,"stream":true,"model":"claude-sonnet-4-5\"""";

  HttpResponse<String> send(String messages) throws Exception {
    String body = "{" + SYSTEM_AND_TOOLS.replace("\n", "") + ",\"messages\":" + messages + "}";
    return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/messages"))
        .header("content-type", "application/json")
        .header("x-api-key", "agent-key")
        .header("anthropic-version", "2023-06-01")
        .header("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Each event's data, in order. */
  static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ")) {
        events.add(Json.parse(line.substring(6).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return events;
  }

  @Test
  void aCodingSessionKeepsWorkingOnGeminiWhileAnthropicIsOverloaded() throws Exception {
    anthropic.always(Reply.json(529, AnthropicFixtures.OVERLOADED));
    gemini.enqueue(Reply.sse(GeminiFixtures.functionCallStream("Read", "{\"file_path\":\"/repo/README.md\"}")),
        Reply.sse(GeminiFixtures.textStreamOf("The README ", "describes Baton.")));

    HttpResponse<String> first = send("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
        + "\"What does the README say?\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]");
    List<JsonNode> events = events(first.body());
    JsonNode toolStart = events.stream().filter(e -> e.path("type").asText().equals("content_block_start"))
        .findFirst().orElseThrow();
    String toolUseId = toolStart.at("/content_block/id").asText();
    String arguments = events.stream().filter(e -> e.at("/delta/type").asText().equals("input_json_delta"))
        .map(e -> e.at("/delta/partial_json").asText()).reduce("", String::concat);

    HttpResponse<String> second = send("[{\"role\":\"user\",\"content\":\"What does the README say?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + toolUseId + "\",\"name\":\"Read\","
        + "\"input\":" + arguments + "}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
        + toolUseId + "\",\"content\":[{\"type\":\"text\",\"text\":\"# Baton\\nAn LLM gateway.\"}]}]}]");
    String text = events(second.body()).stream().filter(e -> e.at("/delta/type").asText().equals("text_delta"))
        .map(e -> e.at("/delta/text").asText()).reduce("", String::concat);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-baton-model")).hasValue("gemini");
    assertThat(toolStart.at("/content_block/type").asText()).isEqualTo("tool_use");
    assertThat(toolStart.at("/content_block/name").asText()).isEqualTo("Read");
    assertThat(toolUseId).matches("[A-Za-z0-9_-]+");
    assertThat(Json.parse(arguments.getBytes(StandardCharsets.UTF_8)).toString())
        .isEqualTo("{\"file_path\":\"/repo/README.md\"}");
    assertThat(events.get(events.size() - 2).at("/delta/stop_reason").asText()).isEqualTo("tool_use");
    assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("message_stop");

    assertThat(text).isEqualTo("The README describes Baton.");
    JsonNode sentToGemini = Json.parse(gemini.requests().get(1).body());
    assertThat(sentToGemini.at("/systemInstruction/parts/0/text").asText())
        .startsWith("You are Claude Code, Anthropic's official CLI for Claude.");
    assertThat(sentToGemini.at("/tools/0/functionDeclarations/0/name").asText()).isEqualTo("Read");
    JsonNode contents = sentToGemini.get("contents");
    assertThat(contents.get(1).at("/parts/0/functionCall/name").asText()).isEqualTo("Read");
    assertThat(contents.get(2).at("/parts/0/functionResponse/name").asText()).isEqualTo("Read");
    assertThat(contents.get(2).at("/parts/0/functionResponse/response").toString()).contains("An LLM gateway.");
    assertThat(anthropic.requests()).hasSize(2);
    assertThat(anthropic.lastRequest().header("anthropic-beta"))
        .isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
  }
}
