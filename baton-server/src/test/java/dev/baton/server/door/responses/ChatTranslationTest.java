package dev.baton.server.door.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatRequest;
import dev.baton.ContentPart;
import dev.baton.InvalidRequestException;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import dev.baton.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The translation table of {@link ChatTranslation}, row by row, from the request shapes OpenAI's Responses API
 * reference documents (its examples: text input, image input, function calling, structured outputs,
 * conversation state) to the router's one request model.
 */
class ChatTranslationTest {

  static ResponsesRequest read(String json) {
    return ResponsesRequestReader.read(json.getBytes(StandardCharsets.UTF_8));
  }

  static ChatTranslation.Translated translate(String json) {
    return ChatTranslation.translate(read(json), List.of());
  }

  static ChatRequest chat(String json) {
    ChatTranslation.Translated translated = translate(json);
    assertThat(translated.unsupported()).as("translated without anything left out").isNull();
    return translated.chat();
  }

  static String refused(String json) {
    InvalidRequestException refusal = translate(json).unsupported();
    assertThat(refusal).as("the request holds something a translation cannot carry").isNotNull();
    assertThat(refusal.status()).isEqualTo(400);
    assertThat(refusal.getMessage()).contains("Unsupported parameter: '" + refusal.param() + "'");
    return refusal.param();
  }

  static JsonNode json(String text) {
    try {
      return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Nested
  class Input {

    @Test
    void aStringIsOneUserMessage() {
      ChatRequest chat = chat("{\"model\":\"gpt-4.1\",\"input\":\"Tell me a three sentence bedtime story about a unicorn.\"}");

      assertThat(chat.model()).isEqualTo("gpt-4.1");
      assertThat(chat.messages()).containsExactly(Message.user("Tell me a three sentence bedtime story about a unicorn."));
    }

    @Test
    void instructionsComeFirstAsTheSystemMessage() {
      ChatRequest chat = chat("{\"model\":\"m\",\"instructions\":\"Talk like a pirate.\","
          + "\"input\":\"Are semicolons optional in JavaScript?\"}");

      assertThat(chat.messages()).containsExactly(Message.system("Talk like a pirate."),
          Message.user("Are semicolons optional in JavaScript?"));
    }

    @Test
    void messagesOfEachRoleWithOrWithoutTheirType() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":["
          + "{\"role\":\"developer\",\"content\":\"Talk like a pirate.\"},"
          + "{\"type\":\"message\",\"role\":\"system\",\"content\":[{\"type\":\"input_text\",\"text\":\"Be brief.\"}]},"
          + "{\"role\":\"user\",\"content\":\"knock knock.\"},"
          + "{\"role\":\"assistant\",\"content\":\"Who's there?\"},"
          + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Orange.\"}]}]}");

      assertThat(chat.messages()).containsExactly(
          Message.system("Talk like a pirate."),
          Message.system("Be brief."),
          Message.user("knock knock."),
          Message.assistant("Who's there?"),
          Message.user(List.of(ContentPart.text("Orange."))));
    }

    @Test
    void textAndImagePartsOfAUserMessage() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":["
          + "{\"type\":\"input_text\",\"text\":\"what is in this image?\"},"
          + "{\"type\":\"input_image\",\"image_url\":\"https://upload.wikimedia.org/boardwalk.jpg\",\"detail\":\"low\"},"
          + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,iVBORw0KGgo=\"}]}]}");

      assertThat(chat.messages().get(0).parts()).containsExactly(
          new ContentPart.Text("what is in this image?"),
          new ContentPart.Image("https://upload.wikimedia.org/boardwalk.jpg", "low"),
          new ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", null));
    }

    @Test
    void anAssistantMessageAndTheFunctionCallsAfterItAreOneTurnAndTheirOutputsToolMessages() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":["
          + "{\"role\":\"user\",\"content\":\"What's the weather like in Paris and Bogotá?\"},"
          + "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
          + "[{\"type\":\"output_text\",\"text\":\"Let me check.\",\"annotations\":[]}]},"
          + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_12345xyz\",\"name\":\"get_weather\","
          + "\"arguments\":\"{\\\"location\\\":\\\"Paris, France\\\"}\"},"
          + "{\"type\":\"function_call\",\"call_id\":\"call_4567xyz\",\"name\":\"get_weather\","
          + "\"arguments\":\"{\\\"location\\\":\\\"Bogotá, Colombia\\\"}\"},"
          + "{\"type\":\"function_call_output\",\"call_id\":\"call_12345xyz\",\"output\":\"15 degrees\"},"
          + "{\"type\":\"function_call_output\",\"call_id\":\"call_4567xyz\","
          + "\"output\":[{\"type\":\"input_text\",\"text\":\"22 \"},{\"type\":\"input_text\",\"text\":\"degrees\"}]}]}");

      assertThat(chat.messages()).containsExactly(
          Message.user("What's the weather like in Paris and Bogotá?"),
          Message.assistant("Let me check.", List.of(
              new ToolCall("call_12345xyz", "get_weather", "{\"location\":\"Paris, France\"}"),
              new ToolCall("call_4567xyz", "get_weather", "{\"location\":\"Bogotá, Colombia\"}"))),
          Message.tool("call_12345xyz", "15 degrees"),
          Message.tool("call_4567xyz", "22 degrees"));
    }

    @Test
    void aFunctionCallWithoutATextTurnIsAnAssistantTurnWithNoContent() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},"
          + "{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"},"
          + "{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"ok\"}]}");

      assertThat(chat.messages().get(1)).isEqualTo(Message.assistant(null, List.of(new ToolCall("c1", "f", "{}"))));
    }

    @Test
    void assistantRefusalsAreItsText() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":[{\"role\":\"assistant\",\"content\":"
          + "[{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}]}]}");

      assertThat(chat.messages()).containsExactly(Message.assistant("I can't help with that."));
    }

    @Test
    void reasoningItemsAreLeftOut() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"},"
          + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[],\"encrypted_content\":\"gAAAA\"},"
          + "{\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello!\"}]}]}");

      assertThat(chat.messages()).containsExactly(Message.user("hi"), Message.assistant("Hello!"));
    }

    @Test
    void whatChatCannotCarryIsRefusedByWhereItIs() {
      assertThat(refused("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
          + "\"file_id\":\"file-123\"}]}]}")).isEqualTo("input[0].content[0]");
      assertThat(refused("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\","
          + "\"file_id\":\"file-123\"}]}]}")).isEqualTo("input[0].content[0].type");
      assertThat(refused("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"a\"},"
          + "{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}")).isEqualTo("input[1].type");
      assertThat(refused("{\"model\":\"m\",\"input\":[{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":"
          + "\"completed\"}]}")).isEqualTo("input[0].type");
    }

    @Test
    void aStoredConversationKeepsItsAnswersAndLeavesOutWhatOnlyItsProviderCouldRead() {
      ResponsesRequest request = read("{\"model\":\"m\",\"input\":\"And now?\"}");
      List<JsonNode> history = new ArrayList<>();
      json("[{\"type\":\"message\",\"role\":\"user\",\"content\":\"Search the news\"},"
          + "{\"type\":\"web_search_call\",\"id\":\"ws_1\",\"status\":\"completed\"},"
          + "{\"type\":\"reasoning\",\"id\":\"rs_1\",\"summary\":[]},"
          + "{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"News.\"}]}]")
          .forEach(history::add);

      ChatTranslation.Translated translated = ChatTranslation.translate(request, history);

      assertThat(translated.unsupported()).isNull();
      assertThat(translated.chat().messages()).containsExactly(Message.user("Search the news"),
          Message.assistant("News."), Message.user("And now?"));
    }

    @Test
    void malformedItemsAreBadRequestsWhoeverWouldAnswer() {
      assertThatThrownBy(() -> translate("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\"}]}"))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("call_id");
      assertThatThrownBy(() -> translate("{\"model\":\"m\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}"))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("input[0].role");
      assertThatThrownBy(() -> translate("{\"model\":\"m\",\"input\":[{\"role\":\"user\"}]}"))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("input[0].content");
      assertThatThrownBy(() -> translate("{\"model\":\"m\",\"input\":[\"x\"]}"))
          .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'input[0]'");
    }
  }

  @Nested
  class Parameters {

    static final String WEATHER = "{\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Get current temperature"
        + " for a given location.\",\"parameters\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},"
        + "\"required\":[\"location\"],\"additionalProperties\":false},\"strict\":true}";

    @Test
    void functionToolsAndEachToolChoice() {
      ChatRequest auto = chat("{\"model\":\"m\",\"input\":\"w\",\"tools\":[" + WEATHER + "],\"tool_choice\":\"auto\"}");
      ChatRequest forced = chat("{\"model\":\"m\",\"input\":\"w\",\"tools\":[" + WEATHER
          + "],\"tool_choice\":{\"type\":\"function\",\"name\":\"get_weather\"}}");

      assertThat(auto.tools()).containsExactly(new Tool("get_weather", "Get current temperature for a given location.",
          "{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}},\"required\":[\"location\"],"
              + "\"additionalProperties\":false}", true));
      assertThat(auto.toolChoice()).isEqualTo(ToolChoice.AUTO);
      assertThat(chat("{\"model\":\"m\",\"input\":\"w\",\"tool_choice\":\"none\"}").toolChoice()).isEqualTo(ToolChoice.NONE);
      assertThat(chat("{\"model\":\"m\",\"input\":\"w\",\"tool_choice\":\"required\"}").toolChoice())
          .isEqualTo(ToolChoice.REQUIRED);
      assertThat(forced.toolChoice()).isEqualTo(ToolChoice.function("get_weather"));
    }

    @Test
    void aToolWithoutParametersTakesAnEmptyObject() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":\"w\",\"tools\":[{\"type\":\"function\",\"name\":\"now\"}]}");

      assertThat(chat.tools()).containsExactly(new Tool("now", null, "{\"type\":\"object\",\"properties\":{}}", null));
    }

    @Test
    void hostedToolsAndOtherToolChoicesAreRefusedByWhereTheyAre() {
      assertThat(refused("{\"model\":\"m\",\"input\":\"w\",\"tools\":[" + WEATHER + ",{\"type\":\"web_search_preview\"}]}"))
          .isEqualTo("tools[1].type");
      assertThat(refused("{\"model\":\"m\",\"input\":\"w\",\"tools\":[{\"type\":\"custom\",\"name\":\"code_exec\"}]}"))
          .isEqualTo("tools[0].type");
      assertThat(refused("{\"model\":\"m\",\"input\":\"w\",\"tool_choice\":{\"type\":\"allowed_tools\",\"mode\":\"auto\","
          + "\"tools\":[]}}")).isEqualTo("tool_choice");
    }

    @Test
    void textFormatIsTheResponseFormat() {
      ChatRequest schema = chat("{\"model\":\"m\",\"input\":\"Jane, 54 years old\",\"text\":{\"format\":{\"type\":"
          + "\"json_schema\",\"name\":\"person\",\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":"
          + "\"string\"},\"age\":{\"type\":\"number\"}},\"required\":[\"name\",\"age\"],\"additionalProperties\":false},"
          + "\"strict\":true}}}");

      assertThat(schema.responseFormat()).isEqualTo(ResponseFormat.jsonSchema("person", "{\"type\":\"object\","
          + "\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"number\"}},\"required\":[\"name\","
          + "\"age\"],\"additionalProperties\":false}", true));
      assertThat(chat("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_object\"}}}").responseFormat())
          .isEqualTo(ResponseFormat.jsonObject());
      assertThat(chat("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"text\"}}}").responseFormat())
          .isEqualTo(ResponseFormat.text());
      assertThatThrownBy(() -> translate("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\","
          + "\"name\":\"p\"}}}")).isInstanceOf(InvalidRequestException.class).hasMessageContaining("text.format.schema");
    }

    @Test
    void samplingLimitsAndTheEndUser() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":300,\"temperature\":0.2,"
          + "\"top_p\":0.9,\"parallel_tool_calls\":false,\"user\":\"u-1\",\"safety_identifier\":\"user-hash-42\","
          + "\"presence_penalty\":0.5,\"frequency_penalty\":0.25,\"fallbacks\":[\"backup\"]}");

      assertThat(chat.maxTokens()).isEqualTo(300);
      assertThat(chat.temperature()).isEqualTo(0.2);
      assertThat(chat.topP()).isEqualTo(0.9);
      assertThat(chat.parallelToolCalls()).isFalse();
      assertThat(chat.endUser()).as("safety_identifier, OpenAI's successor to user").isEqualTo("user-hash-42");
      assertThat(chat.presencePenalty()).isEqualTo(0.5);
      assertThat(chat.frequencyPenalty()).isEqualTo(0.25);
      assertThat(chat.fallbacks()).containsExactly("backup");
    }

    @Test
    void theGatewaysOwnAndServiceTuningFieldsAtTheirDefaultsTranslate() {
      ChatRequest chat = chat("{\"model\":\"m\",\"input\":\"x\",\"store\":true,\"stream\":false,"
          + "\"metadata\":{\"topic\":\"demo\"},\"previous_response_id\":null,\"reasoning\":{\"effort\":null},"
          + "\"include\":[\"reasoning.encrypted_content\"],\"truncation\":\"disabled\",\"service_tier\":\"auto\","
          + "\"top_logprobs\":0,\"prompt_cache_key\":\"k\",\"max_tool_calls\":3,\"stream_options\":"
          + "{\"include_obfuscation\":false},\"background\":false,\"text\":{\"verbosity\":null}}");

      assertThat(chat.messages()).containsExactly(Message.user("x"));
    }

    @Test
    void whatOnlyOpenAiItselfCanDoIsRefusedByName() {
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"reasoning\":{\"effort\":\"low\"}}")).isEqualTo("reasoning");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"include\":[\"message.output_text.logprobs\"]}"))
          .isEqualTo("include");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"truncation\":\"auto\"}")).isEqualTo("truncation");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"service_tier\":\"flex\"}")).isEqualTo("service_tier");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"top_logprobs\":3}")).isEqualTo("top_logprobs");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"text\":{\"verbosity\":\"low\"}}")).isEqualTo("text");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"prompt\":{\"id\":\"pmpt_1\"}}")).isEqualTo("prompt");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"conversation\":\"conv_1\"}")).isEqualTo("conversation");
      assertThat(refused("{\"model\":\"m\",\"input\":\"x\",\"frobnicate\":true}")).isEqualTo("frobnicate");
    }
  }

  @Nested
  class BadInput {

    @Test
    void eachIllTypedFieldIsNamed() {
      assertThat(badParam("{\"input\":\"x\"}")).isEqualTo("model");
      assertThat(badParam("{\"model\":\"m\"}")).isEqualTo("input");
      assertThat(badParam("{\"model\":\"m\",\"input\":42}")).isEqualTo("input");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"temperature\":\"hot\"}")).isEqualTo("temperature");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"max_output_tokens\":1.5}")).isEqualTo("max_output_tokens");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"stream\":\"yes\"}")).isEqualTo("stream");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"metadata\":{\"n\":1}}")).isEqualTo("metadata.n");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"tools\":{}}")).isEqualTo("tools");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"background\":true}")).isEqualTo("background");
      assertThat(badParam("{\"model\":\"m\",\"input\":\"x\",\"previous_response_id\":\"r\",\"conversation\":\"c\"}"))
          .isEqualTo("previous_response_id");
    }

    @Test
    void aBodyThatIsNotOneJsonObjectIsSaidSo() {
      assertThatThrownBy(() -> read("{\"model\":")).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("not valid JSON");
      assertThatThrownBy(() -> read("[1]")).isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("must be a JSON object");
      assertThatThrownBy(() -> read("{} {}")).isInstanceOf(InvalidRequestException.class);
    }

    String badParam(String json) {
      try {
        read(json);
      } catch (InvalidRequestException e) {
        assertThat(e.status()).isEqualTo(400);
        return e.param();
      }
      throw new AssertionError("accepted: " + json);
    }
  }

  @Test
  void theBodyIsKeptAsItCameForNativeDeployments() {
    String body = "{\"model\":\"m\", \"input\":\"x\",\"reasoning\":{\"effort\":\"high\"}}";

    ResponsesRequest request = read(body);

    assertThat(new String(request.body().bytes(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(request.body().fields()).extracting(f -> f.name()).containsExactly("model", "input", "reasoning");
    assertThat(request.input().get(0)).isEqualTo(json("{\"type\":\"message\",\"role\":\"user\",\"content\":\"x\"}"));
  }
}
