package dev.baton.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.CompletionResponse;
import dev.baton.ContextWindowExceededException;
import dev.baton.EmbeddingResponse;
import dev.baton.FinishReason;
import dev.baton.InvalidRequestException;
import dev.baton.Message;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.ToolCallDelta;
import dev.baton.UnknownModelException;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OpenAiResponseWriterTest {

  @Nested
  class PassThrough {

    @Test
    void chatBodyIsPassedOnByteForByte() throws IOException {
      byte[] body = bytes("{\"id\":\"c\",  \"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":"
          + "{\"role\":\"assistant\",\"content\":\"Hi \\u00e9\"},\"finish_reason\":\"stop\"}],"
          + "\"x_vendor\":{\"latency\":1.50}}\n");
      ChatResponse r = OpenAiResponseReader.chat(body, "gpt-4o");

      byte[] written = OpenAiResponseWriter.chat(r.routed("smart", List.of()));

      assertThat(written).isEqualTo(body);
    }

    @Test
    void completionBodyIsPassedOnByteForByte() throws IOException {
      byte[] body = bytes("{\"choices\":[{\"text\":\"x\",\"index\":0,\"finish_reason\":\"stop\"}], \"extra\":1}");
      CompletionResponse r = OpenAiResponseReader.completion(body, "m");

      byte[] written = OpenAiResponseWriter.completion(r);

      assertThat(written).isEqualTo(body);
    }

    @Test
    void chunksArePassedOnByteForByte() throws IOException {
      byte[] azure = bytes("{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
          + "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{}}]}");
      byte[] content = bytes("{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
          + "\"logprobs\":null,\"finish_reason\":null}],\"x_groq\":{\"id\":\"req_1\"}}");
      ChatChunk filter = OpenAiResponseReader.chunk(azure, "m");
      ChatChunk text = OpenAiResponseReader.chunk(content, "m");

      assertThat(OpenAiResponseWriter.chatChunk(filter)).isEqualTo(azure);
      assertThat(OpenAiResponseWriter.chatChunk(text)).isEqualTo(content);
      assertThat(OpenAiResponseWriter.completionChunk(text)).isEqualTo(content);
    }
  }

  @Nested
  class FromFields {

    @Test
    void chatWithText() {
      ChatResponse r = new ChatResponse("msg_1", 1_700_000_000L, "claude-3-5-haiku-20241022",
          List.of(new Choice(0, Message.assistant("Hello!"), FinishReason.STOP)), new Usage(10, 2, 4, 3), null);

      JsonNode written = tree(OpenAiResponseWriter.chat(r.routed("fast", List.of())));

      assertThat(written).isEqualTo(tree("""
          {"id":"msg_1","object":"chat.completion","created":1700000000,"model":"claude-3-5-haiku-20241022",
           "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"logprobs":null,
             "finish_reason":"stop"}],
           "usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12,
             "prompt_tokens_details":{"cached_tokens":4},"cache_creation_input_tokens":3}}"""));
    }

    @Test
    void chatWithToolCalls() {
      ToolCall call = new ToolCall("toolu_1", "get_weather", "{\"city\":\"Paris\"}");
      Message message = Message.assistant(null, List.of(call));
      ChatResponse r = new ChatResponse("msg_1", 1, "m", List.of(new Choice(0, message, FinishReason.TOOL_CALLS)),
          Usage.of(1, 1), null);

      JsonNode choice = tree(OpenAiResponseWriter.chat(r)).get("choices").get(0);

      assertThat(choice).isEqualTo(tree("""
          {"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function",
            "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
           "logprobs":null,"finish_reason":"tool_calls"}"""));
    }

    @Test
    void refusalKeepsContentNull() throws IOException {
      byte[] body = bytes("{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
          + "\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"},\"finish_reason\":\"stop\"}]}");
      ChatResponse read = OpenAiResponseReader.chat(body, "gpt-4o");
      ChatResponse translated = new ChatResponse(read.id(), read.created(), read.upstreamModel(), read.choices(),
          read.usage(), null);

      JsonNode message = tree(OpenAiResponseWriter.chat(translated)).get("choices").get(0).get("message");

      assertThat(message).isEqualTo(
          tree("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"I can't help with that.\"}"));
    }

    @Test
    void completion() {
      CompletionResponse r = new CompletionResponse("cmpl-1", 7, "m",
          List.of(new CompletionResponse.Choice(0, " there was", FinishReason.LENGTH)), Usage.of(4, 2), null);

      JsonNode written = tree(OpenAiResponseWriter.completion(r));

      assertThat(written).isEqualTo(tree("""
          {"id":"cmpl-1","object":"text_completion","created":7,"model":"m",
           "choices":[{"index":0,"text":" there was","logprobs":null,"finish_reason":"length"}],
           "usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}"""));
    }

    @Test
    void roleChunk() {
      ChatChunk c = new ChatChunk("c1", 5, "m", 0, Role.ASSISTANT, "", List.of(), null, null, null);

      JsonNode written = tree(OpenAiResponseWriter.chatChunk(c));

      assertThat(written).isEqualTo(tree("""
          {"id":"c1","object":"chat.completion.chunk","created":5,"model":"m",
           "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}"""));
    }

    @Test
    void contentChunk() {
      ChatChunk c = ChatChunk.text("c1", 5, "m", "Hel");

      JsonNode written = tree(OpenAiResponseWriter.chatChunk(c));

      assertThat(written.get("choices").get(0).get("delta")).isEqualTo(tree("{\"content\":\"Hel\"}"));
      assertThat(written.has("usage")).as("no usage on content chunks").isFalse();
    }

    @Test
    void toolCallDeltaChunks() {
      ChatChunk first = new ChatChunk("c1", 5, "m", 0, null, null,
          List.of(new ToolCallDelta(0, "call_1", "get_weather", null)), null, null, null);
      ChatChunk piece = new ChatChunk("c1", 5, "m", 0, null, null,
          List.of(new ToolCallDelta(0, null, null, "{\"city\":")), null, null, null);

      JsonNode firstDelta = tree(OpenAiResponseWriter.chatChunk(first)).get("choices").get(0).get("delta");
      JsonNode pieceDelta = tree(OpenAiResponseWriter.chatChunk(piece)).get("choices").get(0).get("delta");

      assertThat(firstDelta).isEqualTo(tree("{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
          + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}"));
      assertThat(pieceDelta).isEqualTo(tree("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + "\"{\\\"city\\\":\"}}]}"));
    }

    @Test
    void finishChunk() {
      ChatChunk c = new ChatChunk("c1", 5, "m", 0, null, null, List.of(), FinishReason.LENGTH, null, null);

      JsonNode choice = tree(OpenAiResponseWriter.chatChunk(c)).get("choices").get(0);

      assertThat(choice).isEqualTo(tree("{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"length\"}"));
    }

    @Test
    void usageOnlyChunkHasEmptyChoices() {
      ChatChunk c = new ChatChunk("c1", 5, "m", 0, null, null, List.of(), null, new Usage(9, 12, 0, 0), null);

      JsonNode written = tree(OpenAiResponseWriter.chatChunk(c));

      assertThat(written).isEqualTo(tree("""
          {"id":"c1","object":"chat.completion.chunk","created":5,"model":"m","choices":[],
           "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"""));
    }

    @Test
    void legacyCompletionChunks() {
      ChatChunk text = ChatChunk.text("cmpl-1", 5, "m", " upon");
      ChatChunk usage = new ChatChunk("cmpl-1", 5, "m", 0, null, null, List.of(), null, Usage.of(1, 2), null);

      JsonNode textChunk = tree(OpenAiResponseWriter.completionChunk(text));
      JsonNode usageChunk = tree(OpenAiResponseWriter.completionChunk(usage));

      assertThat(textChunk).isEqualTo(tree("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":5,"
          + "\"model\":\"m\",\"choices\":[{\"index\":0,\"text\":\" upon\",\"logprobs\":null,"
          + "\"finish_reason\":null}]}"));
      assertThat(usageChunk.get("choices")).isEmpty();
      assertThat(usageChunk.get("usage").get("total_tokens").intValue()).isEqualTo(3);
    }

    @Test
    void chunkWithoutItsUpstreamBodyIsWrittenFromItsFields() throws IOException {
      byte[] data = bytes("{\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
          + "\"finish_reason\":null}],\"x_vendor\":1}");
      ChatChunk read = OpenAiResponseReader.chunk(data, "m");

      JsonNode written = tree(OpenAiResponseWriter.chatChunk(read.withoutUpstreamBody()));

      assertThat(written.has("x_vendor")).isFalse();
      assertThat(written.get("choices").get(0).get("delta").get("content").textValue()).isEqualTo("Hi");
    }
  }

  @Nested
  class Embeddings {

    private final float[] first = {0.1f, -0.2f, 3.5e-8f, 1f, Float.MIN_VALUE, -Float.MAX_VALUE, 0f};
    private final float[] second = {42.42f};
    private final EmbeddingResponse response =
        new EmbeddingResponse("text-embedding-3-small", List.of(first, second), Usage.of(7, 0), null);

    @Test
    void asFloatArrays() throws IOException {
      byte[] written = OpenAiResponseWriter.embedding(response, false);

      JsonNode root = tree(written);
      assertThat(root.get("object").textValue()).isEqualTo("list");
      assertThat(root.get("model").textValue()).isEqualTo("text-embedding-3-small");
      assertThat(root.get("usage")).isEqualTo(tree("{\"prompt_tokens\":7,\"total_tokens\":7}"));
      assertThat(root.get("data").get(1).get("object").textValue()).isEqualTo("embedding");
      assertThat(root.get("data").get(1).get("index").intValue()).isEqualTo(1);
      assertThat(root.get("data").get(0).get("embedding").isArray()).isTrue();
      EmbeddingResponse readBack = OpenAiResponseReader.embedding(written, "x");
      assertThat(readBack.vectors().get(0)).as("floats survive the decimal round trip").containsExactly(first);
      assertThat(readBack.vectors().get(1)).containsExactly(second);
    }

    @Test
    void asBase64LittleEndianFloat32() throws IOException {
      byte[] written = OpenAiResponseWriter.embedding(response, true);

      JsonNode root = tree(written);
      String base64 = root.get("data").get(0).get("embedding").textValue();
      ByteBuffer decoded = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
      float[] floats = new float[decoded.remaining() / 4];
      for (int i = 0; i < floats.length; i++) {
        floats[i] = decoded.getFloat();
      }
      assertThat(floats).as("decoded the way the OpenAI SDKs decode it").containsExactly(first);
      assertThat(OpenAiResponseReader.embedding(written, "x").vectors().get(1)).containsExactly(second);
    }

    @Test
    void knownBase64Value() {
      EmbeddingResponse r = new EmbeddingResponse("e", List.of(new float[] {1.0f, 2.0f}), Usage.NONE, null);

      JsonNode root = tree(OpenAiResponseWriter.embedding(r, true));

      assertThat(root.get("data").get(0).get("embedding").textValue()).isEqualTo("AACAPwAAAEA=");
    }
  }

  @Nested
  class Errors {

    @Test
    void invalidRequest() {
      BatonException e = new InvalidRequestException("messages[0].role", "Invalid value for 'messages[0].role'");

      JsonNode written = tree(OpenAiResponseWriter.error(e));

      assertThat(written).isEqualTo(tree("{\"error\":{\"message\":\"Invalid value for 'messages[0].role'\","
          + "\"type\":\"invalid_request_error\",\"param\":\"messages[0].role\",\"code\":null}}"));
    }

    @Test
    void unknownModel() {
      BatonException e = new UnknownModelException("ghost", List.of("smart", "fast"));

      JsonNode error = tree(OpenAiResponseWriter.error(e)).get("error");

      assertThat(error.get("type").textValue()).isEqualTo("invalid_request_error");
      assertThat(error.get("code").textValue()).isEqualTo("model_not_found");
      assertThat(error.get("param").textValue()).isEqualTo("model");
      assertThat(error.get("message").textValue()).contains("ghost");
    }

    @Test
    void upstreamFailure() {
      UpstreamException e = new ContextWindowExceededException(
          new UpstreamException.Source("smart", "openai", 400, "context_length_exceeded", null), "too long");

      JsonNode written = tree(OpenAiResponseWriter.error(e));

      assertThat(written).isEqualTo(tree("{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
          + "\"param\":null,\"code\":\"context_length_exceeded\"}}"));
    }

    @Test
    void everyFieldIsPresentEvenWhenNull() {
      JsonNode error = tree(OpenAiResponseWriter.error(null, "server_error", null, null)).get("error");

      assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
      assertThat(error.get("message").textValue()).as("a message is never null").isEqualTo("server_error");
      assertThat(error.get("param").isNull()).isTrue();
      assertThat(error.get("code").isNull()).isTrue();
    }

    @Test
    void messageIsEscaped() {
      JsonNode error = tree(OpenAiResponseWriter.error("quote \" and\nnewline", "t", "p", "c")).get("error");

      assertThat(error.get("message").textValue()).isEqualTo("quote \" and\nnewline");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode tree(byte[] bytes) {
    try {
      return Json.parse(bytes);
    } catch (IOException e) {
      throw new AssertionError("the writer wrote something that is not JSON: "
          + new String(bytes, StandardCharsets.UTF_8), e);
    }
  }

  private static JsonNode tree(String json) {
    return tree(bytes(json));
  }
}
