package dev.baton.server.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.baton.ChatRequest;
import dev.baton.InvalidRequestException;
import dev.baton.provider.MessagesBody;
import dev.baton.router.TokenEstimate;
import dev.baton.wire.OpenAiRequestWriter;
import dev.baton.wire.WireRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The request half of the translation table: Anthropic Messages bodies as Anthropic's documentation writes
 * them, and the Chat Completions body an OpenAI deployment receives for each, as OpenAI's documentation
 * writes that. Every body also keeps its bytes for Anthropic deployments.
 */
class MessagesReaderTest {

  static WireRequest<ChatRequest> read(String body) {
    return MessagesReader.read(body.getBytes(StandardCharsets.UTF_8), false, null, null);
  }

  /** What an OpenAI deployment of {@code gpt-4o} is sent for this Messages body. */
  static String openAi(String anthropicBody) {
    return new String(OpenAiRequestWriter.chat(read(anthropicBody).request(), "gpt-4o", false, false),
        StandardCharsets.UTF_8);
  }

  static MessagesBody source(String body) {
    return (MessagesBody) read(body).request().source();
  }

  @Test
  void aSingleUserTurn() {
    assertThat(openAi("""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":"Hello, world"}]}"""))
        .isEqualTo("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}],"
            + "\"max_tokens\":1024}");
  }

  @Test
  void theSystemPromptAsAStringOrAsTextBlocksBecomesSystemMessages() {
    assertThat(openAi("""
        {"model":"claude","max_tokens":10,"system":"You are a seasoned data scientist.",
         "messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},
                     {"role":"user","content":"Can you explain LLMs in plain English?"}]}"""))
        .contains("\"messages\":[{\"role\":\"system\",\"content\":\"You are a seasoned data scientist.\"},"
            + "{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\",\"content\":\"Hello!\"},"
            + "{\"role\":\"user\",\"content\":\"Can you explain LLMs in plain English?\"}]");
    assertThat(openAi("""
        {"model":"claude","max_tokens":10,"system":[
           {"type":"text","text":"You are an AI assistant tasked with analyzing literary works."},
           {"type":"text","text":"<the entire contents of Pride and Prejudice>","cache_control":{"type":"ephemeral"}}],
         "messages":[{"role":"user","content":"Analyze the major themes."}]}"""))
        .contains("\"messages\":[{\"role\":\"system\",\"content\":\"You are an AI assistant tasked with analyzing"
            + " literary works.\"},{\"role\":\"system\",\"content\":\"<the entire contents of Pride and Prejudice>\"},"
            + "{\"role\":\"user\",\"content\":\"Analyze the major themes.\"}]");
  }

  @Test
  void imagesBecomeImageUrlPartsFromBase64OrUrlSources() {
    assertThat(openAi("""
        {"model":"claude","max_tokens":10,"messages":[{"role":"user","content":[
          {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQSkZJRg=="}},
          {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/ant.jpg"}},
          {"type":"text","text":"Describe these images."}]}]}"""))
        .contains("\"messages\":[{\"role\":\"user\",\"content\":["
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/jpeg;base64,/9j/4AAQSkZJRg==\"}},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://upload.wikimedia.org/ant.jpg\"}},"
            + "{\"type\":\"text\",\"text\":\"Describe these images.\"}]}]");
  }

  static final String WEATHER_TOOL = """
      {"name":"get_weather","description":"Get the current weather in a given location",
       "input_schema":{"type":"object","properties":{"location":{"type":"string",
         "description":"The city and state, e.g. San Francisco, CA"}},"required":["location"]}}""";

  @Test
  void toolsAndEveryToolChoice() {
    String tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":"
        + "\"Get the current weather in a given location\",\"parameters\":{\"type\":\"object\",\"properties\":"
        + "{\"location\":{\"type\":\"string\",\"description\":\"The city and state, e.g. San Francisco, CA\"}},"
        + "\"required\":[\"location\"]}}}]";
    String ask = "{\"model\":\"claude\",\"max_tokens\":10,\"tools\":[" + WEATHER_TOOL + "],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"What's the weather like in San Francisco?\"}]";

    assertThat(openAi(ask + "}")).contains(tools).doesNotContain("tool_choice");
    assertThat(openAi(ask + ",\"tool_choice\":{\"type\":\"auto\"}}")).contains(tools + ",\"tool_choice\":\"auto\"");
    assertThat(openAi(ask + ",\"tool_choice\":{\"type\":\"any\"}}")).contains(",\"tool_choice\":\"required\"");
    assertThat(openAi(ask + ",\"tool_choice\":{\"type\":\"none\"}}")).contains(",\"tool_choice\":\"none\"");
    assertThat(openAi(ask + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_weather\","
        + "\"disable_parallel_tool_use\":true}}"))
        .contains(",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},"
            + "\"parallel_tool_calls\":false");
  }

  @Test
  void aToolUseAndItsResultBecomeAToolCallAndAToolMessage() {
    assertThat(openAi("""
        {"model":"claude","max_tokens":10,"tools":[%s],"messages":[
          {"role":"user","content":"What's the weather like in San Francisco?"},
          {"role":"assistant","content":[
            {"type":"thinking","thinking":"The user wants the weather.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA"},
            {"type":"text","text":"I'll check the current weather in San Francisco for you."},
            {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",
             "input":{"location":"San Francisco, CA"}}]},
          {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9","content":"15 degrees"}]}]}"""
        .formatted(WEATHER_TOOL)))
        .contains("{\"role\":\"assistant\",\"content\":\"I'll check the current weather in San Francisco for you.\","
            + "\"tool_calls\":[{\"id\":\"toolu_01A09q90qw90lq917835lq9\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_weather\",\"arguments\":\"{\\\"location\\\":\\\"San Francisco, CA\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"content\":\"15 degrees\",\"tool_call_id\":\"toolu_01A09q90qw90lq917835lq9\"}]")
        .as("thinking is Anthropic's own").doesNotContain("thinking").doesNotContain("EqQB");
  }

  @Test
  void toolResultsComeFirstAndTheirImagesFollowInTheUserMessage() {
    assertThat(openAi("""
        {"model":"claude","max_tokens":10,"messages":[
          {"role":"assistant","content":[
            {"type":"tool_use","id":"toolu_1","name":"screenshot","input":{}},
            {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"location":"Paris"}}]},
          {"role":"user","content":[
            {"type":"text","text":"Here you go."},
            {"type":"tool_result","tool_use_id":"toolu_1","content":[
              {"type":"text","text":"The screen:"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
            {"type":"tool_result","tool_use_id":"toolu_2","content":"ConnectionError: the weather service is down",
             "is_error":true}]}]}"""))
        .contains("\"messages\":[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":["
            + "{\"id\":\"toolu_1\",\"type\":\"function\",\"function\":{\"name\":\"screenshot\",\"arguments\":\"{}\"}},"
            + "{\"id\":\"toolu_2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":"
            + "\"{\\\"location\\\":\\\"Paris\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"content\":\"The screen:\",\"tool_call_id\":\"toolu_1\"},"
            + "{\"role\":\"tool\",\"content\":\"Error: ConnectionError: the weather service is down\","
            + "\"tool_call_id\":\"toolu_2\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":"
            + "\"data:image/png;base64,iVBORw0KGgo=\"}},{\"type\":\"text\",\"text\":\"Here you go.\"}]}]");
  }

  @Test
  void samplingStopSequencesAndTheEndUserCarryOverAndAnthropicsOwnTuningDoesNot() {
    String sent = openAi("""
        {"model":"claude","max_tokens":300,"temperature":0.2,"top_p":0.9,"top_k":40,
         "stop_sequences":["\\n\\nHuman:","END"],"metadata":{"user_id":"13803d75-b4b5-4c3e-b2a2-6f21399b021b"},
         "thinking":{"type":"enabled","budget_tokens":2000},"service_tier":"auto",
         "messages":[{"role":"user","content":"Hi"}]}""");

    assertThat(sent).isEqualTo("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"temperature\":0.2,\"top_p\":0.9,\"max_tokens\":300,\"stop\":[\"\\n\\nHuman:\",\"END\"],"
        + "\"user\":\"13803d75-b4b5-4c3e-b2a2-6f21399b021b\"}");
  }

  @Test
  void plainTextDocumentsBecomeText() {
    assertThat(openAi("""
        {"model":"claude","max_tokens":10,"messages":[{"role":"user","content":[
          {"type":"document","source":{"type":"text","media_type":"text/plain","data":"The grass is green."}},
          {"type":"text","text":"What color is the grass?"}]}]}"""))
        .contains("[{\"type\":\"text\",\"text\":\"The grass is green.\"},{\"type\":\"text\",\"text\":"
            + "\"What color is the grass?\"}]");
  }

  @Test
  void whatOnlyAnthropicCanServeIsNamedAndNotTranslated() {
    String user = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

    assertThat(source("{\"model\":\"c\",\"max_tokens\":5," + user + ",\"tools\":[{\"type\":\"web_search_20250305\","
        + "\"name\":\"web_search\",\"max_uses\":5}]}").untranslatable())
        .isEqualTo("Anthropic's tool 'web_search' (web_search_20250305)");
    assertThat(source("{\"model\":\"c\",\"max_tokens\":5," + user + ",\"mcp_servers\":[{\"type\":\"url\","
        + "\"url\":\"https://example-server.modelcontextprotocol.io/sse\",\"name\":\"example-mcp\"}]}").untranslatable())
        .isEqualTo("MCP servers (mcp_servers)");
    assertThat(source("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"document\",\"source\":{\"type\":\"base64\",\"media_type\":\"application/pdf\",\"data\":\"JVBERi0=\"}}]}]}")
        .untranslatable()).isEqualTo("the document at messages.0.content.0 (only plain-text documents translate)");
    assertThat(source("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"text\",\"text\":\"Look\"},{\"type\":\"image\",\"source\":{\"type\":\"file\",\"file_id\":\"file_011\"}}]}]}")
        .untranslatable()).isEqualTo("the image source of type 'file' at messages.0.content.1");
    assertThat(source("{\"model\":\"c\",\"max_tokens\":5," + user + "}").untranslatable()).isNull();
  }

  @Test
  void theBodyIsKeptWithItsVersionAndBetaHeaders() {
    String body = "{\"model\":\"claude\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Hi\"}],\"fallbacks\":[\"gpt\"]}";

    WireRequest<ChatRequest> wire = MessagesReader.read(body.getBytes(StandardCharsets.UTF_8), false, "2023-06-01",
        "context-1m-2025-08-07");
    MessagesBody source = (MessagesBody) wire.request().source();

    assertThat(wire.stream()).isTrue();
    assertThat(wire.request().fallbacks()).containsExactly("gpt");
    assertThat(source.version()).isEqualTo("2023-06-01");
    assertThat(source.beta()).isEqualTo("context-1m-2025-08-07");
    assertThat(new String(source.write("claude-opus-4-1"), StandardCharsets.UTF_8)).isEqualTo("{\"model\":"
        + "\"claude-opus-4-1\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
  }

  @Test
  void countTokensBodiesNeedNoMaxTokensAndGetTheRoutersEstimate() {
    WireRequest<ChatRequest> wire = MessagesReader.read(("{\"model\":\"claude\",\"system\":\"You are a scientist\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, Claude\"}]}").getBytes(StandardCharsets.UTF_8),
        true, null, null);

    // (19 + 13) characters / 4, and 4 tokens of framing for each of the two messages.
    assertThat(TokenEstimate.of(wire.request())).isEqualTo(16);
  }

  @Test
  void malformedRequestsAre400sNamingTheField() {
    assertThat(refusal("{\"model\":\"c\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo("max_tokens: Missing required parameter: 'max_tokens'");
    assertThat(refusal("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo("model: Missing required parameter: 'model'");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
        .isEqualTo("max_tokens: 'max_tokens' must be at least 1, was 0");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[]}"))
        .isEqualTo("messages: 'messages' must contain at least one message");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"system\",\"content\":\"Hi\"}]}"))
        .isEqualTo("messages.0.role: Invalid value for 'messages.0.role': 'system'; expected 'user' or 'assistant'"
            + " (the system prompt is the top-level 'system' field)");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":7}]}"))
        .isEqualTo("messages.0.content: Invalid type for 'messages.0.content': expected a string or an array of"
            + " content blocks, but got a number");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"tools\":[{\"name\":\"t\"}]}"))
        .isEqualTo("tools.0.input_schema: Invalid type for 'tools.0.input_schema': expected a JSON Schema object,"
            + " but got nothing");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"assistant\",\"content\":[{"
        + "\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\",\"input\":\"{}\"}]}]}"))
        .isEqualTo("messages.0.content.0.input: Invalid type for 'messages.0.content.0.input': expected an object,"
            + " but got a string");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
        + "\"tool_choice\":{\"type\":\"required\"}}"))
        .isEqualTo("tool_choice.type: Invalid value for 'tool_choice.type': 'required'; expected auto, any, tool or none");
    assertThat(refusal("{\"model\":\"c\",\"max_tokens\":5,")).startsWith("null: The request body is not valid JSON");
    assertThat(refusal("[1]")).isEqualTo("null: The request body must be a JSON object");
  }

  static String refusal(String body) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> read(body));
    assertThat(e).as("a refusal of " + body).isNotNull();
    return e.param() + ": " + e.getMessage();
  }
}
