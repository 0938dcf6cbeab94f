package dev.baton.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.ContentPart;
import dev.baton.EmbeddingRequest;
import dev.baton.InvalidRequestException;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Role;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiRequestReaderTest {

  private static final String HELLO = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]";

  @Nested
  class Bodies {

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"model\":", "not json", "{'model':'a'}", "{\"model\":\"a\",}"})
    void malformedJson(String body) {
      InvalidRequestException e = invalid(() -> chat(body));

      assertThat(e.param()).isNull();
      assertThat(e.getMessage()).startsWith("The request body is not valid JSON: ");
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.type()).isEqualTo("invalid_request_error");
    }

    @Test
    void trailingGarbage() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + "} trailing"));

      assertThat(e.getMessage()).startsWith("The request body is not valid JSON: ");
    }

    @Test
    void twoObjects() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + "}{}"));

      assertThat(e.getMessage()).startsWith("The request body is not valid JSON: ");
    }

    @Test
    void bodyThatBreaksOffAfterAnIllTypedFieldIsReportedAsNotJson() {
      // The field is wrong, but the truncated body is the real fault: the reader says so.
      InvalidRequestException e = invalid(() -> chat("{\"model\":42,\"messages\":[{\"role\":\"user\""));

      assertThat(e.getMessage()).startsWith("The request body is not valid JSON: ");
    }

    @Test
    void fieldsAreReadInWhateverOrderTheyCome() {
      ChatRequest r = chat("{\"stream_options\":{\"include_usage\":true},\"stream\":true,"
          + "\"messages\":[{\"content\":\"Hi\",\"role\":\"user\"}],\"fallbacks\":[\"b\"],\"model\":\"a\"}").request();

      assertThat(r.model()).isEqualTo("a");
      assertThat(r.messages()).containsExactly(Message.user("Hi"));
      assertThat(r.includeUsage()).isTrue();
      assertThat(r.fallbacks()).containsExactly("b");
    }

    @Test
    void emptyBody() {
      InvalidRequestException e = invalid(() -> chat(""));

      assertThat(e.getMessage()).isEqualTo("The request body is empty; it must be a JSON object");
    }

    @Test
    void whitespaceOnlyBody() {
      InvalidRequestException e = invalid(() -> chat("  \n "));

      assertThat(e.getMessage()).startsWith("The request body is not valid JSON");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "null | null",
        "[] | an array",
        "\"hi\" | a string",
        "42 | a number",
        "true | a boolean"})
    void bodyThatIsNotAnObject(String body, String kind) {
      InvalidRequestException e = invalid(() -> chat(body));

      assertThat(e.getMessage()).isEqualTo("The request body must be a JSON object, was " + kind);
    }

    @Test
    void everyEndpointChecksTheBody() {
      List<Function<byte[], ?>> readers =
          List.of(OpenAiRequestReader::chat, OpenAiRequestReader::completion, OpenAiRequestReader::embedding);

      for (Function<byte[], ?> reader : readers) {
        InvalidRequestException e = invalid(() -> reader.apply("[]".getBytes(StandardCharsets.UTF_8)));

        assertThat(e.getMessage()).startsWith("The request body must be a JSON object");
      }
    }
  }

  @Nested
  class Model {

    @Test
    void missing() {
      InvalidRequestException e = invalid(() -> chat("{" + HELLO + "}"));

      assertThat(e.param()).isEqualTo("model");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'model'");
    }

    @Test
    void nullIsMissing() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":null," + HELLO + "}"));

      assertThat(e.param()).isEqualTo("model");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'model'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"4 | a number", "[\"a\"] | an array", "{} | an object", "true | a boolean"})
    void illTyped(String value, String kind) {
      InvalidRequestException e = invalid(() -> chat("{\"model\":" + value + "," + HELLO + "}"));

      assertThat(e.param()).isEqualTo("model");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'model': expected a string, but got " + kind);
    }

    @Test
    void empty() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"\"," + HELLO + "}"));

      assertThat(e.param()).isEqualTo("model");
      assertThat(e.getMessage()).isEqualTo("'model' must not be empty");
    }
  }

  @Nested
  class Messages {

    @Test
    void missing() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"}"));

      assertThat(e.param()).isEqualTo("messages");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'messages'");
    }

    @Test
    void empty() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[]}"));

      assertThat(e.param()).isEqualTo("messages");
      assertThat(e.getMessage()).isEqualTo("'messages' must contain at least one message");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"Hello\" | a string", "{} | an object", "null | null", "3 | a number"})
    void illTyped(String value, String kind) {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":" + value + "}"));

      assertThat(e.param()).isEqualTo("messages");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'messages': expected an array, but got " + kind);
    }

    @Test
    void messageThatIsNotAnObject() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\","
          + "\"content\":\"hi\"},\"and this\"]}"));

      assertThat(e.param()).isEqualTo("messages[1]");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'messages[1]': expected an object, but got a string");
    }

    @Test
    void unknownRole() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"human\","
          + "\"content\":\"hi\"}]}"));

      assertThat(e.param()).isEqualTo("messages[0].role");
      assertThat(e.getMessage()).isEqualTo("Invalid value for 'messages[0].role': 'human'; expected one of system,"
          + " developer, user, assistant, tool, function");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"role\":null", ",\"role\":1"})
    void missingOrIllTypedRole(String role) {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"content\":\"hi\"" + role
          + "}]}"));

      assertThat(e.param()).isEqualTo("messages[0].role");
      assertThat(e.getMessage()).isEqualTo("Missing or invalid 'messages[0].role': expected a string");
    }

    @Test
    void userMessageWithoutContent() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\"}]}"));

      assertThat(e.param()).isEqualTo("messages[0].content");
      assertThat(e.getMessage()).isEqualTo("Missing 'messages[0].content'");
    }

    @Test
    void illTypedContent() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\","
          + "\"content\":5}]}"));

      assertThat(e.param()).isEqualTo("messages[0].content");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'messages[0].content': expected a string, an array of"
          + " parts or null, but got a number");
    }

    @Test
    void contentPartWithoutType() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\","
          + "\"content\":[{\"text\":\"hi\"}]}]}"));

      assertThat(e.param()).isEqualTo("messages[0].content[0]");
    }

    @Test
    void textPartWithoutText() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\","
          + "\"content\":[{\"type\":\"text\"}]}]}"));

      assertThat(e.param()).isEqualTo("messages[0].content[0].text");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'messages[0].content[0].text'");
    }

    @Test
    void imagePartWithoutUrl() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\","
          + "\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}"));

      assertThat(e.param()).isEqualTo("messages[0].content[0].image_url.url");
    }

    @Test
    void toolCallsThatAreNotAnArray() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"assistant\","
          + "\"tool_calls\":{}}]}"));

      assertThat(e.param()).isEqualTo("messages[0].tool_calls");
    }

    @Test
    void toolCallWithoutFunctionName() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"assistant\","
          + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"arguments\":\"{}\"}}]}]}"));

      assertThat(e.param()).isEqualTo("messages[0].tool_calls[0].function.name");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        a call that is not an object | "c1"                                         | messages[0].tool_calls[1] | Invalid 'messages[0].tool_calls[1]': a tool call needs a 'function' object
        no function                  | {"id":"c2"}                                  | messages[0].tool_calls[1] | Invalid 'messages[0].tool_calls[1]': a tool call needs a 'function' object
        a function that is a string  | {"function":"f"}                             | messages[0].tool_calls[1] | Invalid 'messages[0].tool_calls[1]': a tool call needs a 'function' object
        the last function not one    | {"function":{"name":"f"},"function":null}    | messages[0].tool_calls[1] | Invalid 'messages[0].tool_calls[1]': a tool call needs a 'function' object
        a name that is a number      | {"function":{"name":7}}                      | messages[0].tool_calls[1].function.name | Invalid type for 'messages[0].tool_calls[1].function.name': expected a string, but got a number
        an empty name                | {"function":{"name":""}}                     | messages[0].tool_calls[1].function.name | 'messages[0].tool_calls[1].function.name' must not be empty
        a null name                  | {"function":{"name":null,"arguments":"{}"}}  | messages[0].tool_calls[1].function.name | Missing required parameter: 'messages[0].tool_calls[1].function.name'
        """)
    void malformedSecondToolCall(String what, String call, String param, String message) {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\",\"messages\":[{\"role\":\"assistant\","
          + "\"tool_calls\":[{\"id\":\"c0\",\"function\":{\"name\":\"ok\"}}," + call + "]}]}"));

      assertThat(e.param()).as(what).isEqualTo(param);
      assertThat(e.getMessage()).as(what).isEqualTo(message);
    }
  }

  @Nested
  class IllTypedParameters {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "temperature | \"0.5\" | Invalid type for 'temperature': expected a number, but got a string",
        "top_p | true | Invalid type for 'top_p': expected a number, but got a boolean",
        "max_tokens | \"100\" | Invalid type for 'max_tokens': expected an integer, but got a string",
        "max_tokens | 1.5 | Invalid type for 'max_tokens': expected an integer, but got a number",
        "max_tokens | 99999999999 | Invalid type for 'max_tokens': expected an integer, but got a number",
        "max_completion_tokens | [] | Invalid type for 'max_completion_tokens': expected an integer, but got an array",
        "n | \"2\" | Invalid type for 'n': expected an integer, but got a string",
        "seed | 1.5 | Invalid type for 'seed': expected an integer, but got a number",
        "stream | \"true\" | Invalid type for 'stream': expected a boolean, but got a string",
        "stream | 1 | Invalid type for 'stream': expected a boolean, but got a number",
        "stream_options | true | Invalid type for 'stream_options': expected an object, but got a boolean",
        "stop | 5 | Invalid type for 'stop': expected a string or an array of strings, but got a number",
        "stop | {} | Invalid type for 'stop': expected a string or an array of strings, but got an object",
        "user | 5 | Invalid type for 'user': expected a string, but got a number",
        "tools | {} | Invalid type for 'tools': expected an array, but got an object",
        "tools | \"search\" | Invalid type for 'tools': expected an array, but got a string",
        "parallel_tool_calls | \"yes\" | Invalid type for 'parallel_tool_calls': expected a boolean, but got a string",
        "fallbacks | \"b\" | Invalid type for 'fallbacks': expected an array of strings, but got a string",
        "fallbacks | {} | Invalid type for 'fallbacks': expected an array of strings, but got an object"})
    void eachIsAnErrorNamingIt(String param, String value, String message) {
      InvalidRequestException e = invalid(() -> chat(helloWith(param, value)));

      assertThat(e.param()).isEqualTo(param);
      assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void includeUsageThatIsNotABoolean() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"stream\":true,"
          + "\"stream_options\":{\"include_usage\":\"yes\"}}"));

      assertThat(e.param()).isEqualTo("stream_options.include_usage");
    }

    @Test
    void stopEntryThatIsNotAString() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"stop\":[\"\\n\",7]}"));

      assertThat(e.param()).isEqualTo("stop");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'stop[1]': expected a string, was a number");
    }

    @Test
    void fallbackThatIsNotAString() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"fallbacks\":[\"b\",{}]}"));

      assertThat(e.param()).isEqualTo("fallbacks");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'fallbacks[1]': expected a string, was an object");
    }

    @Test
    void toolWithoutFunction() {
      InvalidRequestException e = invalid(() -> chat(helloWith("tools", "[{\"type\":\"function\"}]")));

      assertThat(e.param()).isEqualTo("tools[0]");
      assertThat(e.getMessage()).isEqualTo("Invalid 'tools[0]': a tool needs a 'function' object");
    }

    @Test
    void toolThatIsNotAnObject() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"tools\":[\"search\"]}"));

      assertThat(e.param()).isEqualTo("tools[0]");
    }

    @Test
    void toolWithoutName() {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO
          + ",\"tools\":[{\"type\":\"function\",\"function\":{\"description\":\"d\"}}]}"));

      assertThat(e.param()).isEqualTo("tools[0].function.name");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'tools[0].function.name'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"sometimes\"", "5", "{\"type\":\"function\"}", "{\"type\":\"function\",\"function\":{}}",
        "[]"})
    void invalidToolChoice(String value) {
      InvalidRequestException e = invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"tool_choice\":" + value + "}"));

      assertThat(e.param()).as("tool_choice: %s", value).isEqualTo("tool_choice");
      assertThat(e.getMessage()).startsWith("Invalid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"json\"", "5", "{}", "{\"type\":5}"})
    void responseFormatThatIsNotATypedObject(String value) {
      InvalidRequestException e =
          invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"response_format\":" + value + "}"));

      assertThat(e.param()).as("response_format: %s", value).isEqualTo("response_format");
      assertThat(e.getMessage()).isEqualTo("Invalid 'response_format': expected an object with a 'type'");
    }

    @Test
    void responseFormatOfUnknownType() {
      InvalidRequestException e =
          invalid(() -> chat("{\"model\":\"a\"," + HELLO + ",\"response_format\":{\"type\":\"xml\"}}"));

      assertThat(e.param()).isEqualTo("response_format.type");
      assertThat(e.getMessage()).isEqualTo("Invalid value for 'response_format.type': 'xml'; expected text,"
          + " json_object or json_schema");
    }
  }

  @Nested
  class ValidChat {

    @Test
    void minimalRequest() {
      WireRequest<ChatRequest> wire = chat("{\"model\":\"smart\"," + HELLO + "}");

      ChatRequest r = wire.request();
      assertThat(wire.stream()).isFalse();
      assertThat(r.model()).isEqualTo("smart");
      assertThat(r.messages()).containsExactly(Message.user("Hello"));
      assertThat(r.includeUsage()).isFalse();
      assertThat(r.fallbacks()).isNull();
      assertThat(r.extra()).isEmpty();
      assertThat(r.source()).isInstanceOf(RawObject.class);
      assertThat(((RawObject) r.source()).fields()).extracting(RawObject.Field::name).containsExactly("model", "messages");
    }

    @Test
    void everyScalarParameter() {
      String body = """
          {"model":"smart","messages":[{"role":"user","content":"Hi"}],
           "temperature":0.2,"top_p":0.9,"presence_penalty":0.5,"frequency_penalty":-0.5,
           "max_tokens":100,"max_completion_tokens":200,"n":2,"seed":42,"stop":["\\n","END"],
           "user":"user-1","parallel_tool_calls":false,"stream":true,
           "stream_options":{"include_usage":true},"fallbacks":["fast","local"]}""";

      WireRequest<ChatRequest> wire = chat(body);

      ChatRequest r = wire.request();
      assertThat(wire.stream()).isTrue();
      assertThat(r.temperature()).isEqualTo(0.2);
      assertThat(r.topP()).isEqualTo(0.9);
      assertThat(r.presencePenalty()).isEqualTo(0.5);
      assertThat(r.frequencyPenalty()).isEqualTo(-0.5);
      assertThat(r.maxTokens()).isEqualTo(100);
      assertThat(r.maxCompletionTokens()).isEqualTo(200);
      assertThat(r.n()).isEqualTo(2);
      assertThat(r.seed()).isEqualTo(42L);
      assertThat(r.stop()).containsExactly("\n", "END");
      assertThat(r.endUser()).isEqualTo("user-1");
      assertThat(r.parallelToolCalls()).isFalse();
      assertThat(r.includeUsage()).isTrue();
      assertThat(r.fallbacks()).containsExactly("fast", "local");
      assertThat(r.extra()).as("every field here is modelled").isEmpty();
    }

    @Test
    void seedBeyondTheIntRange() {
      WireRequest<ChatRequest> wire = chat("{\"model\":\"a\"," + HELLO + ",\"seed\":12345678901}");

      assertThat(wire.request().seed()).as("OpenAI's seed is a 64-bit integer").isEqualTo(12_345_678_901L);
    }

    @Test
    void stopAsOneString() {
      WireRequest<ChatRequest> wire = chat("{\"model\":\"a\"," + HELLO + ",\"stop\":\"END\"}");

      assertThat(wire.request().stop()).containsExactly("END");
    }

    @Test
    void nullMeansNotGiven() {
      String body = "{\"model\":\"a\"," + HELLO + ",\"temperature\":null,\"max_tokens\":null,\"stop\":null,"
          + "\"tools\":null,\"tool_choice\":null,\"response_format\":null,\"stream_options\":null,\"user\":null,"
          + "\"seed\":null,\"n\":null,\"parallel_tool_calls\":null,\"fallbacks\":null,\"stream\":null}";

      WireRequest<ChatRequest> wire = chat(body);

      ChatRequest r = wire.request();
      assertThat(wire.stream()).as("\"stream\": null is the default, false").isFalse();
      assertThat(r.temperature()).isNull();
      assertThat(r.maxTokens()).isNull();
      assertThat(r.stop()).isEmpty();
      assertThat(r.tools()).isEmpty();
      assertThat(r.toolChoice()).isNull();
      assertThat(r.responseFormat()).isNull();
      assertThat(r.includeUsage()).isFalse();
      assertThat(r.endUser()).isNull();
      assertThat(r.seed()).isNull();
      assertThat(r.n()).isNull();
      assertThat(r.parallelToolCalls()).isNull();
      assertThat(r.fallbacks()).isNull();
    }

    @Test
    void streamWithoutIncludeUsage() {
      WireRequest<ChatRequest> wire = chat("{\"model\":\"a\"," + HELLO + ",\"stream\":true,\"stream_options\":{}}");

      assertThat(wire.stream()).isTrue();
      assertThat(wire.request().includeUsage()).isFalse();
    }

    @Test
    void toolsAndToolChoice() {
      String body = """
          {"model":"a","messages":[{"role":"user","content":"Weather in Paris?"}],
           "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather",
             "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},
             "strict":true}},
            {"type":"function","function":{"name":"now"}}],
           "tool_choice":{"type":"function","function":{"name":"get_weather"}}}""";

      ChatRequest r = chat(body).request();

      assertThat(r.tools()).containsExactly(
          new Tool("get_weather", "Current weather",
              "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}", true),
          new Tool("now", null, "{\"type\":\"object\",\"properties\":{}}", null));
      assertThat(r.toolChoice()).isEqualTo(ToolChoice.function("get_weather"));
    }

    @Test
    void toolParametersAreKeptAsTheCallerWroteThem() {
      String schema = "{ \"type\": \"object\",\n  \"properties\": {\"q\": {\"type\": \"string\", \"pattern\": \"^\\\\d+\\u00e9$\"}} }";
      String body = "{\"model\":\"a\"," + HELLO + ",\"tools\":[{\"type\":\"function\",\"function\":"
          + "{\"parameters\":" + schema + ",\"name\":\"search\",\"x-vendor\":{\"deep\":[1,{\"a\":2}]}}}]}";

      Tool tool = chat(body).request().tools().get(0);

      assertThat(tool.name()).isEqualTo("search");
      assertThat(tool.parameters()).isEqualTo(schema);
    }

    @ParameterizedTest
    @CsvSource({"auto", "none", "required"})
    void toolChoiceModes(String mode) {
      ChatRequest r = chat("{\"model\":\"a\"," + HELLO + ",\"tool_choice\":\"" + mode + "\"}").request();

      assertThat(r.toolChoice()).isEqualTo(new ToolChoice(mode, null));
    }

    @Test
    void assistantToolCallsAndToolResults() {
      String body = """
          {"model":"a","messages":[
            {"role":"system","content":"Be brief."},
            {"role":"user","content":"Weather in Paris?"},
            {"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function",
               "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
              {"id":"call_2","type":"function","function":{"name":"now","arguments":{"tz":"CET"}}}]},
            {"role":"tool","tool_call_id":"call_1","content":"18C, sunny"},
            {"role":"tool","tool_call_id":"call_2","content":"12:00"}]}""";

      ChatRequest r = chat(body).request();

      assertThat(r.messages()).extracting(Message::role)
          .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.TOOL, Role.TOOL);
      Message assistant = r.messages().get(2);
      assertThat(assistant.content()).isNull();
      assertThat(assistant.toolCalls()).containsExactly(
          new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
          new ToolCall("call_2", "now", "{\"tz\":\"CET\"}"));
      assertThat(r.messages().get(3)).isEqualTo(Message.tool("call_1", "18C, sunny"));
    }

    @Test
    void toolCallsReadLeniently() {
      // Ids and arguments of other types are kept as a JSON tree would give them, as they always were.
      String body = """
          {"model":"a","messages":[{"role":"assistant","tool_calls":[
            {"id":5,"function":{"name":"a"}},
            {"function":{"name":"b","arguments":null},"id":null},
            {"id":true,"function":{"arguments": { "x" : [1, 2.5, "y"], "z":{} },"name":"c"}},
            {"id":{"n":1},"function":{"name":"d","arguments":3}},
            {"id":"e1","function":{"name":"first","arguments":"1"},"function":{"name":"e","arguments":"2"}}]},
            {"role":"assistant","content":"no calls","tool_calls":null}]}""";

      List<Message> messages = chat(body).request().messages();

      assertThat(messages.get(0).toolCalls()).containsExactly(
          new ToolCall("5", "a", "{}"),
          new ToolCall("", "b", "{}"),
          new ToolCall("true", "c", "{\"x\":[1,2.5,\"y\"],\"z\":{}}"),
          new ToolCall("", "d", "3"),
          new ToolCall("e1", "e", "2"));
      assertThat(messages.get(1).toolCalls()).isEmpty();
    }

    @Test
    void imageAndTextParts() {
      String body = """
          {"model":"a","messages":[{"role":"user","content":[
            {"type":"text","text":"What is this?"},
            {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}},
            {"type":"image_url","image_url":"data:image/png;base64,AAAA"},
            {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}}]}]}""";

      Message m = chat(body).request().messages().get(0);

      assertThat(m.content()).isNull();
      assertThat(m.parts()).hasSize(4);
      assertThat(m.parts().get(0)).isEqualTo(new ContentPart.Text("What is this?"));
      assertThat(m.parts().get(1)).isEqualTo(new ContentPart.Image("https://example.com/cat.png", "low"));
      assertThat(m.parts().get(2)).isEqualTo(new ContentPart.Image("data:image/png;base64,AAAA", null));
      assertThat(m.parts().get(3)).isInstanceOfSatisfying(ContentPart.Other.class, other -> {
        assertThat(other.type()).isEqualTo("input_audio");
        assertThat(other.fields()).containsKeys("type", "input_audio");
      });
      assertThat(m.text()).isEqualTo("What is this?");
    }

    @Test
    void messageNameAndUnknownMessageFieldsAreKept() {
      String body = "{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"ann\","
          + "\"cache_control\":{\"type\":\"ephemeral\"}}]}";

      Message m = chat(body).request().messages().get(0);

      assertThat(m.name()).isEqualTo("ann");
      assertThat(m.extra()).containsOnlyKeys("cache_control");
    }

    @Test
    void assistantPrefillWithoutContentIsAllowed() {
      ChatRequest r = chat("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
          + "{\"role\":\"assistant\"}]}").request();

      assertThat(r.messages()).hasSize(2);
    }

    @Test
    void developerAndFunctionRoles() {
      ChatRequest r = chat("{\"model\":\"a\",\"messages\":[{\"role\":\"developer\",\"content\":\"x\"},"
          + "{\"role\":\"function\",\"name\":\"f\",\"content\":\"y\"}]}").request();

      assertThat(r.messages()).extracting(Message::role).containsExactly(Role.DEVELOPER, Role.FUNCTION);
    }

    @Test
    void responseFormats() {
      ResponseFormat text = chat("{\"model\":\"a\"," + HELLO + ",\"response_format\":{\"type\":\"text\"}}")
          .request().responseFormat();
      ResponseFormat object = chat("{\"model\":\"a\"," + HELLO + ",\"response_format\":{\"type\":\"json_object\"}}")
          .request().responseFormat();
      ResponseFormat schema = chat("{\"model\":\"a\"," + HELLO + ",\"response_format\":{\"type\":\"json_schema\","
          + "\"json_schema\":{\"name\":\"answer\",\"strict\":true,\"schema\":{\"type\":\"object\"}}}}")
          .request().responseFormat();

      assertThat(text).isEqualTo(ResponseFormat.text());
      assertThat(object).isEqualTo(ResponseFormat.jsonObject());
      assertThat(schema).isEqualTo(ResponseFormat.jsonSchema("answer", "{\"type\":\"object\"}", true));
    }

    @Test
    void unknownFieldsAreKeptInExtra() {
      String body = "{\"model\":\"a\"," + HELLO + ",\"logprobs\":true,\"top_logprobs\":3,"
          + "\"metadata\":{\"k\":\"v\"},\"reasoning_effort\":\"low\",\"x_vendor\":null}";

      ChatRequest r = chat(body).request();

      assertThat(r.extra()).containsOnlyKeys("logprobs", "top_logprobs", "metadata", "reasoning_effort", "x_vendor");
      assertThat(r.extra().get("metadata")).isInstanceOfSatisfying(JsonNode.class,
          n -> assertThat(n.toString()).isEqualTo("{\"k\":\"v\"}"));
      assertThat(r.extra().keySet()).as("in the caller's order")
          .containsExactly("logprobs", "top_logprobs", "metadata", "reasoning_effort", "x_vendor");
    }
  }

  @Nested
  class Completions {

    @Test
    void promptAsStringOrList() {
      CompletionRequest one = completion("{\"model\":\"a\",\"prompt\":\"Once upon a time\"}").request();
      CompletionRequest two = completion("{\"model\":\"a\",\"prompt\":[\"a\",\"b\"]}").request();

      assertThat(one.prompts()).containsExactly("Once upon a time");
      assertThat(two.prompts()).containsExactly("a", "b");
    }

    @Test
    void everyParameter() {
      WireRequest<CompletionRequest> wire = completion("{\"model\":\"a\",\"prompt\":\"p\",\"max_tokens\":5,"
          + "\"temperature\":0,\"top_p\":1,\"stop\":\"\\n\",\"seed\":7,\"suffix\":\"end\",\"stream\":true,"
          + "\"stream_options\":{\"include_usage\":true},\"fallbacks\":[\"b\"],\"echo\":true}");

      CompletionRequest r = wire.request();
      assertThat(wire.stream()).isTrue();
      assertThat(r.maxTokens()).isEqualTo(5);
      assertThat(r.temperature()).isEqualTo(0.0);
      assertThat(r.topP()).isEqualTo(1.0);
      assertThat(r.stop()).containsExactly("\n");
      assertThat(r.seed()).isEqualTo(7L);
      assertThat(r.suffix()).isEqualTo("end");
      assertThat(r.includeUsage()).isTrue();
      assertThat(r.fallbacks()).containsExactly("b");
      assertThat(r.extra()).containsOnlyKeys("echo");
    }

    @Test
    void missingPrompt() {
      InvalidRequestException e = invalid(() -> completion("{\"model\":\"a\"}"));

      assertThat(e.param()).isEqualTo("prompt");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'prompt'");
    }

    @Test
    void emptyPromptList() {
      InvalidRequestException e = invalid(() -> completion("{\"model\":\"a\",\"prompt\":[]}"));

      assertThat(e.param()).isEqualTo("prompt");
    }

    @Test
    void tokenArrayPrompt() {
      InvalidRequestException e = invalid(() -> completion("{\"model\":\"a\",\"prompt\":[1,2,3]}"));

      assertThat(e.param()).isEqualTo("prompt");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'prompt[0]': expected a string, was a number"
          + " (token arrays are not supported)");
    }
  }

  @Nested
  class Embeddings {

    @Test
    void stringInput() {
      EmbeddingRequest r = embedding("{\"model\":\"e\",\"input\":\"some text\"}").request();

      assertThat(r.model()).isEqualTo("e");
      assertThat(r.inputs()).containsExactly("some text");
    }

    @Test
    void arrayInputAndEveryParameter() {
      WireRequest<EmbeddingRequest> wire = embedding("{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":256,"
          + "\"user\":\"u\",\"encoding_format\":\"base64\",\"fallbacks\":[\"f\"],\"x_other\":1}");

      EmbeddingRequest r = wire.request();
      assertThat(r.inputs()).containsExactly("a", "b");
      assertThat(r.dimensions()).isEqualTo(256);
      assertThat(r.endUser()).isEqualTo("u");
      assertThat(r.fallbacks()).containsExactly("f");
      assertThat(r.extra()).containsOnlyKeys("encoding_format", "x_other");
      assertThat(OpenAiRequestReader.wantsBase64(wire.request())).isTrue();
    }

    @Test
    void floatIsTheDefaultEncoding() {
      WireRequest<EmbeddingRequest> plain = embedding("{\"model\":\"e\",\"input\":\"x\"}");
      WireRequest<EmbeddingRequest> asFloat =
          embedding("{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"float\"}");

      assertThat(OpenAiRequestReader.wantsBase64(plain.request())).isFalse();
      assertThat(OpenAiRequestReader.wantsBase64(asFloat.request())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1,2,3]", "[[1,2],[3]]"})
    void tokenArrayInput(String input) {
      InvalidRequestException e = invalid(() -> embedding("{\"model\":\"e\",\"input\":" + input + "}"));

      assertThat(e.param()).isEqualTo("input");
      assertThat(e.getMessage()).contains("token arrays are not supported");
    }

    @Test
    void emptyInput() {
      InvalidRequestException e = invalid(() -> embedding("{\"model\":\"e\",\"input\":[]}"));

      assertThat(e.param()).isEqualTo("input");
      assertThat(e.getMessage()).isEqualTo("'input' must not be empty");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"5 | a number", "{} | an object", "true | a boolean"})
    void illTypedInput(String input, String kind) {
      InvalidRequestException e = invalid(() -> embedding("{\"model\":\"e\",\"input\":" + input + "}"));

      assertThat(e.param()).isEqualTo("input");
      assertThat(e.getMessage()).isEqualTo("Invalid type for 'input': expected a string or an array of strings,"
          + " but got " + kind);
    }

    @Test
    void missingInput() {
      InvalidRequestException e = invalid(() -> embedding("{\"model\":\"e\"}"));

      assertThat(e.param()).isEqualTo("input");
      assertThat(e.getMessage()).isEqualTo("Missing required parameter: 'input'");
    }

    @Test
    void missingModel() {
      InvalidRequestException e = invalid(() -> embedding("{\"input\":\"x\"}"));

      assertThat(e.param()).isEqualTo("model");
    }

    @Test
    void unknownEncodingFormat() {
      InvalidRequestException e =
          invalid(() -> embedding("{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"int8\"}"));

      assertThat(e.param()).isEqualTo("encoding_format");
      assertThat(e.getMessage()).isEqualTo("'encoding_format' must be 'float' or 'base64', was 'int8'");
    }

    @Test
    void illTypedEncodingFormat() {
      InvalidRequestException e = invalid(() -> embedding("{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":1}"));

      assertThat(e.param()).isEqualTo("encoding_format");
    }

    @Test
    void illTypedDimensions() {
      InvalidRequestException e = invalid(() -> embedding("{\"model\":\"e\",\"input\":\"x\",\"dimensions\":\"256\"}"));

      assertThat(e.param()).isEqualTo("dimensions");
    }
  }

  /** A valid chat body with one more field. */
  static String helloWith(String field, String jsonValue) {
    return "{\"model\":\"a\"," + HELLO + ",\"" + field + "\":" + jsonValue + "}";
  }

  static WireRequest<ChatRequest> chat(String json) {
    return OpenAiRequestReader.chat(json.getBytes(StandardCharsets.UTF_8));
  }

  static WireRequest<CompletionRequest> completion(String json) {
    return OpenAiRequestReader.completion(json.getBytes(StandardCharsets.UTF_8));
  }

  static WireRequest<EmbeddingRequest> embedding(String json) {
    return OpenAiRequestReader.embedding(json.getBytes(StandardCharsets.UTF_8));
  }

  static InvalidRequestException invalid(ThrowingCallable call) {
    InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, call);
    assertThat(e).as("an InvalidRequestException").isNotNull();
    return e;
  }
}
