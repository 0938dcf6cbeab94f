package dev.baton.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.CompletionResponse;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiResponseReaderTest {

  @Nested
  class Chat {

    @Test
    void textAnswer() throws IOException {
      String body = """
          {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
           "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
             "logprobs":null,"finish_reason":"stop"}],
           "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15,
             "prompt_tokens_details":{"cached_tokens":8,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":0}},
           "system_fingerprint":"fp_1"}""";

      ChatResponse r = chat(body, "gpt-4o");

      assertThat(r.id()).isEqualTo("chatcmpl-1");
      assertThat(r.created()).isEqualTo(1_700_000_000L);
      assertThat(r.upstreamModel()).as("the model that answered, not the one asked for").isEqualTo("gpt-4o-2024-08-06");
      assertThat(r.text()).isEqualTo("Hello!");
      assertThat(r.message().role()).isEqualTo(Role.ASSISTANT);
      assertThat(r.message().extra()).as("a null refusal is no refusal").isEmpty();
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.usage()).isEqualTo(new Usage(12, 3, 8, 0));
      assertThat(r.usage().totalTokens()).isEqualTo(15);
      assertThat(r.upstreamBody()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void toolCalls() throws IOException {
      String body = """
          {"id":"c","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,
            "tool_calls":[
              {"id":"call_1","type":"function",
               "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
              {"id":"call_2","type":"function","function":{"name":"now","arguments":{"tz":"CET"}}},
              {"id":"call_3","type":"function","function":{"name":"ping"}}]},
            "finish_reason":"tool_calls"}]}""";

      ChatResponse r = chat(body, "gpt-4o");

      assertThat(r.text()).as("no text when only tools were called").isEmpty();
      assertThat(r.message().content()).isNull();
      assertThat(r.toolCalls()).containsExactly(
          new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"),
          new ToolCall("call_2", "now", "{\"tz\":\"CET\"}"),
          new ToolCall("call_3", "ping", "{}"));
      assertThat(r.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(r.usage()).as("no usage object").isEqualTo(Usage.NONE);
    }

    @Test
    void refusal() throws IOException {
      String body = "{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":null,\"refusal\":\"I'm sorry, I can't help with that.\"},\"finish_reason\":\"stop\"}]}";

      ChatResponse r = chat(body, "gpt-4o");

      assertThat(r.message().content()).isNull();
      assertThat(r.message().extra()).containsEntry("refusal", "I'm sorry, I can't help with that.");
    }

    @Test
    void contentFilterFinish() throws IOException {
      String body = "{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Part\"},\"finish_reason\":\"content_filter\",\"content_filter_results\":{}}],"
          + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}";

      ChatResponse r = chat(body, "gpt-4o");

      assertThat(r.finishReason()).isEqualTo(FinishReason.CONTENT_FILTER);
      assertThat(r.text()).isEqualTo("Part");
    }

    @Test
    void contentAsAnArrayOfTextParts() throws IOException {
      String body = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\","
          + "\"text\":\"Hel\"},{\"type\":\"text\",\"text\":\"lo\"}]},\"finish_reason\":\"stop\"}]}";

      ChatResponse r = chat(body, "local");

      assertThat(r.text()).isEqualTo("Hello");
    }

    @Test
    void missingOrEmptyModelIsTheOneAskedFor() throws IOException {
      ChatResponse missing = chat("{\"choices\":[{\"message\":{\"content\":\"x\"}}]}", "llama3.2");
      ChatResponse empty = chat("{\"model\":\"\",\"choices\":[{\"message\":{\"content\":\"x\"}}]}", "llama3.2");

      assertThat(missing.upstreamModel()).isEqualTo("llama3.2");
      assertThat(empty.upstreamModel()).isEqualTo("llama3.2");
      assertThat(missing.id()).isEmpty();
      assertThat(missing.finishReason()).isNull();
    }

    @Test
    void severalChoices() throws IOException {
      String body = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"a\"},\"finish_reason\":\"stop\"},"
          + "{\"index\":1,\"message\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}";

      ChatResponse r = chat(body, "m");

      assertThat(r.choices()).hasSize(2);
      assertThat(r.choices().get(1).message().text()).isEqualTo("b");
      assertThat(r.choices().get(1).finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void fieldsAreReadWhereverTheyAppear() throws IOException {
      String body = """
          {"usage":{"prompt_tokens_details":{"cached_tokens":2},"completion_tokens":3,"prompt_tokens":12,
             "cache_creation_input_tokens":5},
           "choices":[{"finish_reason":"tool_calls",
             "message":{"refusal":"no","tool_calls":[{"function":{"arguments":"{}","name":"now"},"id":"call_1"}],
               "content":"Hi","role":"assistant"},
             "index":0}],
           "created":1700000000,"model":"gpt-4o-2024-08-06","id":"chatcmpl-late"}""";

      ChatResponse r = chat(body, "gpt-4o");

      assertThat(r.usage()).as("usage before the choices").isEqualTo(new Usage(12, 3, 2, 5));
      assertThat(r.upstreamModel()).as("model after the choices").isEqualTo("gpt-4o-2024-08-06");
      assertThat(r.id()).isEqualTo("chatcmpl-late");
      assertThat(r.created()).isEqualTo(1_700_000_000L);
      assertThat(r.finishReason()).as("finish_reason before the message").isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(r.text()).isEqualTo("Hi");
      assertThat(r.toolCalls()).containsExactly(new ToolCall("call_1", "now", "{}"));
      assertThat(r.message().extra()).containsEntry("refusal", "no");
    }

    @Test
    void unknownFieldsAreSkippedWithEverythingInsideThem() throws IOException {
      String body = """
          {"x_vendor":{"model":"decoy","id":"decoy","choices":[{"message":{"content":"decoy"}}],
                       "usage":{"prompt_tokens":999}},
           "id":"c","model":"m-1",
           "choices":[{"logprobs":{"content":[{"token":"Hi","top_logprobs":[{"token":"Yo","bytes":[89,111]}]}]},
             "index":0,
             "message":{"annotations":[{"type":"url_citation","url_citation":{"content":"decoy","text":"decoy"}}],
               "audio":null,"role":"assistant","content":"Hi","x_extra":[[[]],{}]},
             "content_filter_results":{"hate":{"filtered":false}},"finish_reason":"stop"}],
           "prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}],
           "usage":{"prompt_tokens":1,"completion_tokens":1,"completion_tokens_details":{"prompt_tokens":999}}}""";

      ChatResponse r = chat(body, "requested");

      assertThat(r.id()).isEqualTo("c");
      assertThat(r.upstreamModel()).as("a 'model' inside an unknown object is not the model").isEqualTo("m-1");
      assertThat(r.choices()).as("'choices' inside an unknown object are not choices").hasSize(1);
      assertThat(r.text()).isEqualTo("Hi");
      assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.usage()).isEqualTo(Usage.of(1, 1));
    }

    @Test
    void argumentsGivenAsAnObjectBecomeItsCompactJson() throws IOException {
      String body = """
          {"choices":[{"message":{"tool_calls":[
            {"id":"call_1","function":{"name":"forecast",
              "arguments": { "city" : "Paris" , "days" : [ 1, 2 ], "opts" : { "unit":"C", "exact":true, "over":1e2 } }}},
            {"id":"call_2","function":{"name":"ping","arguments":null}},
            {"id":"call_3","function":{"name":"count","arguments":42}}]}}]}""";

      ChatResponse r = chat(body, "m");

      assertThat(r.toolCalls()).extracting(ToolCall::arguments).containsExactly(
          "{\"city\":\"Paris\",\"days\":[1,2],\"opts\":{\"unit\":\"C\",\"exact\":true,\"over\":100.0}}",
          "{}",
          "42");
    }

    @Test
    void contentGivenAsPartsIsTheirTextsJoined() throws IOException {
      String body = """
          {"choices":[{"message":{"role":"assistant","content":[
            {"type":"text","text":"Hel"},
            {"text":"lo","type":"text","annotations":[{"text":"decoy"}]},
            {"type":"image_url","image_url":{"url":"https://example.com/x.png"}},
            {"type":"text","text":null},
            {"type":"text","text":", world"}]}}]}""";

      ChatResponse r = chat(body, "m");

      assertThat(r.text()).as("parts without text add nothing").isEqualTo("Hello, world");
    }

    @Test
    void fieldsOfTheWrongTypeReadAsMissing() throws IOException {
      String body = """
          {"id":5,"model":["x"],"created":"yesterday",
           "choices":[{"index":"1","finish_reason":3,"message":{"content":{"text":"x"},"refusal":false}}],
           "usage":{"prompt_tokens":"12","completion_tokens":null,"prompt_tokens_details":7}}""";

      ChatResponse r = chat(body, "requested");

      assertThat(r.id()).isEmpty();
      assertThat(r.upstreamModel()).isEqualTo("requested");
      assertThat(r.created()).isZero();
      assertThat(r.choices().get(0).index()).isZero();
      assertThat(r.finishReason()).isNull();
      assertThat(r.message().content()).isNull();
      assertThat(r.message().extra()).isEmpty();
      assertThat(r.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void numbersAreReadAsATreeReadThem() throws IOException {
      String body = "{\"created\":1.7e9,\"choices\":[{\"index\":2.9,\"message\":{\"content\":\"x\"}}],"
          + "\"usage\":{\"prompt_tokens\":4294967297,\"completion_tokens\":3.5}}";

      ChatResponse r = chat(body, "m");

      assertThat(r.created()).as("a decimal is cut to a whole number").isEqualTo(1_700_000_000L);
      assertThat(r.choices().get(0).index()).isEqualTo(2);
      assertThat(r.usage().promptTokens()).as("a long keeps its low 32 bits, as (int) does").isEqualTo(1);
      assertThat(r.usage().completionTokens()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"choices\":{}}", "{\"choices\":[{}]}", "{\"choices\":[{\"message\":\"hi\"}]}",
        "{\"error\":{\"message\":\"x\"}}"})
    void unexpectedShapeIsAnIOException(String body) {
      assertThatThrownBy(() -> chat(body, "m")).as(body).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @CsvSource({"stop, STOP", "length, LENGTH", "tool_calls, TOOL_CALLS", "content_filter, CONTENT_FILTER",
        "function_call, FUNCTION_CALL", "eos, STOP"})
    void finishReasons(String wire, FinishReason reason) throws IOException {
      String body = "{\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":\"" + wire + "\"}]}";

      ChatResponse r = chat(body, "m");

      assertThat(r.finishReason()).isEqualTo(reason);
    }
  }

  @Nested
  class Chunks {

    @Test
    void roleChunk() throws IOException {
      ChatChunk c = chunk("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
          + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}");

      assertThat(c.id()).isEqualTo("c1");
      assertThat(c.created()).isEqualTo(5);
      assertThat(c.upstreamModel()).isEqualTo("gpt-4o");
      assertThat(c.role()).isEqualTo(Role.ASSISTANT);
      assertThat(c.text()).isEmpty();
      assertThat(c.finishReason()).isNull();
      assertThat(c.usage()).as("\"usage\": null is no usage").isNull();
      assertThat(c.hasAnswer()).as("a role announcement is not the first token").isFalse();
    }

    @Test
    void contentChunk() throws IOException {
      ChatChunk c = chunk("{\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}");

      assertThat(c.role()).isNull();
      assertThat(c.content()).isEqualTo("Hel");
      assertThat(c.hasAnswer()).isTrue();
      assertThat(c.isUsageOnly()).isFalse();
    }

    @Test
    void toolCallDeltas() throws IOException {
      ChatChunk first = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
          + "\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
          + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
      ChatChunk piece = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
          + "\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]},\"finish_reason\":null}]}");
      ChatChunk second = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_2\","
          + "\"type\":\"function\",\"function\":{\"name\":\"now\",\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}");

      assertThat(first.toolCalls()).containsExactly(new ToolCallDelta(0, "call_1", "get_weather", ""));
      assertThat(first.content()).isNull();
      assertThat(piece.toolCalls()).containsExactly(new ToolCallDelta(0, null, null, "{\"city\":"));
      assertThat(second.toolCalls()).containsExactly(new ToolCallDelta(1, "call_2", "now", "{}"));
      assertThat(first.hasAnswer()).isTrue();
    }

    @Test
    void finishChunk() throws IOException {
      ChatChunk c = chunk("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}");

      assertThat(c.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
      assertThat(c.content()).isNull();
      assertThat(c.hasAnswer()).isTrue();
    }

    @Test
    void usageOnlyChunkWithEmptyChoices() throws IOException {
      ChatChunk c = chunk("{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"gpt-4o\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":12,\"total_tokens\":21,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":4}}}");

      assertThat(c.usage()).isEqualTo(new Usage(9, 12, 4, 0));
      assertThat(c.isUsageOnly()).isTrue();
      assertThat(c.hasAnswer()).isFalse();
    }

    @Test
    void azurePromptFilterResultsFirstChunk() throws IOException {
      String data = "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
          + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,"
          + "\"severity\":\"safe\"}}}]}";

      ChatChunk c = chunk(data, "gpt-4o-deployment");

      assertThat(c.hasAnswer()).as("a filter report is not the first token").isFalse();
      assertThat(c.isUsageOnly()).isFalse();
      assertThat(c.usage()).isNull();
      assertThat(c.upstreamModel()).isEqualTo("gpt-4o-deployment");
      assertThat(c.upstreamBody()).isEqualTo(data.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void legacyCompletionChunkTextIsContent() throws IOException {
      ChatChunk c = chunk("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":5,\"model\":\"instruct\","
          + "\"choices\":[{\"text\":\" upon\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}");

      assertThat(c.content()).isEqualTo(" upon");
      assertThat(c.hasAnswer()).isTrue();
    }

    @Test
    void fieldsAreReadWhereverTheyAppear() throws IOException {
      ChatChunk c = chunk("{\"choices\":[{\"finish_reason\":\"length\",\"delta\":{\"content\":\"end\","
          + "\"role\":\"assistant\"},\"index\":1}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1},"
          + "\"model\":\"gpt-4o\",\"created\":9,\"id\":\"c9\"}");

      assertThat(c.id()).isEqualTo("c9");
      assertThat(c.created()).isEqualTo(9);
      assertThat(c.upstreamModel()).isEqualTo("gpt-4o");
      assertThat(c.index()).isEqualTo(1);
      assertThat(c.role()).isEqualTo(Role.ASSISTANT);
      assertThat(c.content()).isEqualTo("end");
      assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(c.usage()).isEqualTo(Usage.of(2, 1));
    }

    @Test
    void onlyTheFirstChoiceIsRead() throws IOException {
      ChatChunk c = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}},"
          + "{\"index\":1,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}");

      assertThat(c.index()).isZero();
      assertThat(c.content()).isEqualTo("a");
      assertThat(c.finishReason()).isNull();
    }

    @Test
    void unknownFieldsAreSkippedWithEverythingInsideThem() throws IOException {
      ChatChunk c = chunk("{\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":99}},"
          + "\"choices\":[{\"logprobs\":{\"content\":[{\"token\":\"decoy\"}]},\"index\":0,"
          + "\"delta\":{\"x_reasoning\":{\"content\":\"decoy\"},\"content\":\"Hi\"}}],\"id\":\"c\"}");

      assertThat(c.id()).isEqualTo("c");
      assertThat(c.content()).isEqualTo("Hi");
      assertThat(c.usage()).as("usage inside an unknown object is not the usage").isNull();
    }

    @Test
    void aDeltaThatIsNotAnObjectLeavesTheChoicesText() throws IOException {
      ChatChunk c = chunk("{\"choices\":[{\"text\":\" upon\",\"delta\":null,\"index\":0}]}");

      assertThat(c.content()).isEqualTo(" upon");
      assertThat(c.role()).isNull();
    }

    @Test
    void toolCallArgumentsThatAreNotTextAreMissing() throws IOException {
      ChatChunk c = chunk("{\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":{\"a\":1},"
          + "\"name\":\"f\"},\"id\":\"call_1\",\"index\":2},\"not a call\"]}}]}");

      assertThat(c.toolCalls()).containsExactly(
          new ToolCallDelta(2, "call_1", "f", null), new ToolCallDelta(0, null, null, null));
    }

    @Test
    void aUsageThatIsNotAnObjectIsNoUsageCounted() throws IOException {
      ChatChunk c = chunk("{\"choices\":[],\"usage\":\"n/a\"}");

      assertThat(c.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void chunkThatIsNotAnObjectIsAnIOException() {
      assertThatThrownBy(() -> chunk("[1]")).isInstanceOf(IOException.class);
    }
  }

  @Nested
  class Completion {

    @Test
    void legacyCompletion() throws IOException {
      String body = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":7,"
          + "\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\" there was\",\"index\":0,"
          + "\"logprobs\":null,\"finish_reason\":\"length\"}],"
          + "\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}";

      CompletionResponse r = completion(body, "instruct");

      assertThat(r.id()).isEqualTo("cmpl-1");
      assertThat(r.created()).isEqualTo(7);
      assertThat(r.upstreamModel()).isEqualTo("gpt-3.5-turbo-instruct");
      assertThat(r.text()).isEqualTo(" there was");
      assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(r.usage()).isEqualTo(Usage.of(4, 2));
      assertThat(r.upstreamBody()).isEqualTo(bytes(body));
    }

    @Test
    void fieldsAreReadWhereverTheyAppearAndOddChoicesAreEmpty() throws IOException {
      String body = "{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2},\"choices\":[{\"finish_reason\":\"stop\","
          + "\"logprobs\":{\"tokens\":[\"x\"]},\"text\":\" once\",\"index\":0},\"odd\",{\"index\":2,\"text\":7}],"
          + "\"model\":\"instruct\"}";

      CompletionResponse r = completion(body);

      assertThat(r.upstreamModel()).isEqualTo("instruct");
      assertThat(r.usage()).isEqualTo(Usage.of(4, 2));
      assertThat(r.choices()).containsExactly(
          new CompletionResponse.Choice(0, " once", FinishReason.STOP),
          new CompletionResponse.Choice(0, "", null),
          new CompletionResponse.Choice(2, "7", null));
    }

    @Test
    void withoutChoicesIsAnIOException() {
      assertThatThrownBy(() -> completion("{}"))
          .isInstanceOf(IOException.class);
    }
  }

  @Nested
  class Embeddings {

    @Test
    void floatArraysInIndexOrder() throws IOException {
      String body = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.5,-1]},"
          + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,2.5e-3]}],\"model\":\"text-embedding-3-small\","
          + "\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}";

      EmbeddingResponse r = embedding(body);

      assertThat(r.vectors()).hasSize(2);
      assertThat(r.vectors().get(0)).containsExactly(0.25f, 0.0025f);
      assertThat(r.vectors().get(1)).containsExactly(0.5f, -1f);
      assertThat(r.upstreamModel()).isEqualTo("text-embedding-3-small");
      assertThat(r.usage().promptTokens()).isEqualTo(5);
    }

    @Test
    void base64LittleEndianFloat32() throws IOException {
      float[] vector = {0.1f, -0.2f, 3.5e-8f, 1f, Float.MIN_VALUE, -Float.MAX_VALUE};
      ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : vector) {
        buffer.putFloat(v);
      }
      String base64 = Base64.getEncoder().encodeToString(buffer.array());
      String body = "{\"data\":[{\"index\":0,\"embedding\":\"" + base64 + "\"}],\"model\":\"e\"}";

      EmbeddingResponse r = embedding(body);

      assertThat(r.vector()).containsExactly(vector);
    }

    @Test
    void knownBase64Value() throws IOException {
      // 1.0f is 00 00 80 3f in little-endian; 2.0f is 00 00 00 40.
      String body = "{\"data\":[{\"index\":0,\"embedding\":\"AACAPwAAAEA=\"}],\"model\":\"e\"}";

      EmbeddingResponse r = embedding(body);

      assertThat(r.vector()).containsExactly(1.0f, 2.0f);
    }

    @Test
    void fieldsAreReadWhereverTheyAppear() throws IOException {
      String body = "{\"usage\":{\"prompt_tokens\":3},\"model\":\"e-1\",\"data\":[{\"embedding\":[1,2.5],\"index\":1,"
          + "\"x\":{\"index\":0}},{\"object\":\"embedding\",\"embedding\":[-1],\"index\":0}],\"object\":\"list\"}";

      EmbeddingResponse r = embedding(body);

      assertThat(r.upstreamModel()).isEqualTo("e-1");
      assertThat(r.usage().promptTokens()).isEqualTo(3);
      assertThat(r.vectors().get(0)).containsExactly(-1f);
      assertThat(r.vectors().get(1)).containsExactly(1f, 2.5f);
    }

    @Test
    void numbersBecomeFloatsAsATreeMadeThem() throws IOException {
      // Cut to a float directly or through a double, these two round to different floats; the tree cut
      // whole numbers directly and decimals through a double.
      String longNumber = "9007199791611905"; // 2^53 + 2^29 + 1
      String decimal = "1.000000298023223876953125000001"; // just above the midpoint of two floats
      String body = "{\"data\":[{\"index\":0,\"embedding\":[" + longNumber + "," + decimal + ",7,1e400,"
          + "123456789012345678901234567890]}]}";

      EmbeddingResponse r = embedding(body);

      assertThat(r.vector()).containsExactly(
          (float) Long.parseLong(longNumber), (float) Double.parseDouble(decimal), 7f, Float.POSITIVE_INFINITY,
          new java.math.BigInteger("123456789012345678901234567890").floatValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"data\":{}}",
        "{\"data\":[{\"embedding\":[1]}]}",
        "{\"data\":[{\"index\":0,\"embedding\":[1]},{\"index\":0,\"embedding\":[2]}]}",
        "{\"data\":[{\"index\":1,\"embedding\":[1]}]}",
        "{\"data\":[{\"index\":0,\"embedding\":\"not base64!\"}]}",
        "{\"data\":[{\"index\":0,\"embedding\":\"AAAA\"}]}",
        "{\"data\":[{\"index\":0,\"embedding\":[1,\"x\"]}]}",
        "{\"data\":[{\"index\":0,\"embedding\":{}}]}",
        "{\"data\":[{\"index\":0}]}"})
    void unexpectedShapeIsAnIOException(String body) {
      assertThatThrownBy(() -> embedding(body)).as(body).isInstanceOf(IOException.class);
    }
  }

  @Nested
  class BodiesThatAreNotJson {

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "{\"choices\":[]} trailing",
        "{\"choices\":[]} {\"choices\":[]}",
        "{\"choices\":[]}]",
        "{\"choices\":[{\"message\":{\"content\":\"cut sh",
        "{\"choices\":[{\"index\":0}],\"usage\":{",
        "{\"error\":{\"message\":\"x\"}} trailing",
        "<html>502 Bad Gateway</html>"})
    void areNotJsonWhateverTheirStartLooksLike(String body) {
      assertThatThrownBy(() -> chat(body, "m")).as("chat: %s", body).isInstanceOf(NotJsonException.class);
      assertThatThrownBy(() -> completion(body)).as("completion: %s", body).isInstanceOf(NotJsonException.class);
      assertThatThrownBy(() -> embedding(body)).as("embedding: %s", body).isInstanceOf(NotJsonException.class);
      assertThatThrownBy(() -> chunk(body)).as("chunk: %s", body).isInstanceOf(NotJsonException.class);
    }

    @Test
    void anAnswerFollowedByAnythingIsNotJson() {
      String answer = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}";

      assertThatThrownBy(() -> chat(answer + " 1", "m"))
          .as("a lenient parser would read the answer and drop the tail")
          .isInstanceOf(NotJsonException.class)
          .hasMessageContaining("follows the JSON value");
    }

    @Test
    void wrongShapesAreNotMistakenForBodiesThatAreNotJson() {
      assertThatThrownBy(() -> chat("{\"choices\":[{\"index\":0}]}", "m"))
          .isInstanceOf(IOException.class).isNotInstanceOf(NotJsonException.class)
          .hasMessage("a choice has no 'message' object");
      assertThatThrownBy(() -> chat("[1, 2]", "m"))
          .isInstanceOf(IOException.class).isNotInstanceOf(NotJsonException.class)
          .hasMessage("the answer has no 'choices' array");
    }
  }

  @Nested
  class ErrorReports {

    @Test
    void anErrorObjectWithoutAnAnswerIsAnErrorReport() {
      String body = "{\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\"}}";

      assertThatThrownBy(() -> chat(body, "m")).isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
      assertThatThrownBy(() -> completion(body)).isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
      assertThatThrownBy(() -> embedding(body)).isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
    }

    @Test
    void anErrorFieldOfAnyValueCounts() {
      assertThatThrownBy(() -> chat("{\"id\":\"x\",\"error\":null}", "m"))
          .as("a body whose only news is an 'error' field, even null, is no answer")
          .isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
    }

    @Test
    void anAnswerBesideAnErrorFieldIsStillAnAnswer() throws IOException {
      ChatResponse r = chat("{\"error\":{\"message\":\"ignored\"},\"choices\":[{\"message\":{\"content\":\"Hi\"}}]}",
          "m");

      assertThat(r.text()).isEqualTo("Hi");
    }

    @Test
    void dataBesideAnErrorFieldMakesAChatBodyOfTheWrongShapeNotAnErrorReport() {
      assertThatThrownBy(() -> chat("{\"error\":{\"message\":\"x\"},\"data\":[]}", "m"))
          .isNotInstanceOf(OpenAiResponseReader.ErrorReportException.class)
          .hasMessage("the answer has no 'choices' array");
    }

    @Test
    void whereEveryErrorFieldCountsAnAnswerBesideItDoesNotSaveIt() {
      byte[] body = bytes("{\"error\":{\"message\":\"x\"},\"choices\":[{\"message\":{\"content\":\"Hi\"}}]}");

      assertThatThrownBy(() -> OpenAiResponseReader.chat(body, "m",
          OpenAiResponseReader.ErrorField.ALWAYS_REPORTS_AN_ERROR))
          .isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
    }

    @Test
    void aStreamEventWithAnErrorAndNoChoicesIsAnErrorReport() {
      assertThatThrownBy(() -> chunk("{\"error\":{\"message\":\"Rate limit exceeded\",\"code\":429}}"))
          .isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
      assertThatThrownBy(() -> chunk("{\"error\":{\"message\":\"x\"},\"data\":[]}"))
          .as("for a chunk only 'choices' beside the error make it a chunk")
          .isInstanceOf(OpenAiResponseReader.ErrorReportException.class);
    }

    @Test
    void aStreamEventWithChoicesBesideAnErrorIsAChunk() throws IOException {
      ChatChunk c = chunk("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"error\":null}");

      assertThat(c.content()).isEqualTo("Hi");
    }
  }

  @Nested
  class RepeatedFields {

    @Test
    void aFieldGivenTwiceCountsAsGivenLastAsInATree() throws IOException {
      ChatResponse r = chat("{\"model\":\"first\",\"choices\":[{\"index\":0}],\"model\":\"second\","
          + "\"choices\":[{\"message\":{\"content\":\"a\",\"content\":\"b\"}}]}", "m");

      assertThat(r.upstreamModel()).isEqualTo("second");
      assertThat(r.text()).as("the second 'choices' replaces the first, wrong shape and all").isEqualTo("b");
    }
  }

  private static ChatResponse chat(String body, String requestedModel) throws IOException {
    return OpenAiResponseReader.chat(bytes(body), requestedModel);
  }

  private static ChatChunk chunk(String data) throws IOException {
    return chunk(data, "requested");
  }

  private static ChatChunk chunk(String data, String requestedModel) throws IOException {
    return OpenAiResponseReader.chunk(bytes(data), requestedModel);
  }

  private static CompletionResponse completion(String body) throws IOException {
    return completion(body, "requested");
  }

  private static CompletionResponse completion(String body, String requestedModel) throws IOException {
    return OpenAiResponseReader.completion(bytes(body), requestedModel);
  }

  private static EmbeddingResponse embedding(String body) throws IOException {
    return OpenAiResponseReader.embedding(bytes(body), "requested");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
