package dev.baton.server.door;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ChatResponse;
import dev.baton.FinishReason;
import dev.baton.wire.OpenAiResponseReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The answer half of the translation table: Chat Completions answers as OpenAI's documentation writes
 * them, and the Anthropic message a Messages caller receives for each, as Anthropic's documentation
 * writes that.
 */
class MessagesWriterTest {

  static String anthropic(String openAiAnswer) throws Exception {
    ChatResponse answer = OpenAiResponseReader.chat(openAiAnswer.getBytes(StandardCharsets.UTF_8), "gpt-4o");
    return new String(MessagesWriter.message(answer, 99), StandardCharsets.UTF_8);
  }

  @Test
  void aTextAnswer() throws Exception {
    assertThat(anthropic("""
        {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
         "model":"gpt-4.1-2025-04-14","choices":[{"index":0,"message":{"role":"assistant",
         "content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,
         "finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,
         "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}},"service_tier":"default"}"""))
        .isEqualTo("{\"id\":\"msg_chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"gpt-4.1-2025-04-14\",\"content\":[{\"type\":\"text\",\"text\":\"Hello! How can I assist you"
            + " today?\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":19,"
            + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":10}}");
  }

  @Test
  void toolCallsBecomeToolUseBlocksWithTheirInputAsAnObject() throws Exception {
    assertThat(anthropic("""
        {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
           {"id":"call_abc123","type":"function","function":{"name":"get_current_weather",
            "arguments":"{\\n\\"location\\": \\"Boston, MA\\"\\n}"}},
           {"id":"call_def456","type":"function","function":{"name":"get_time","arguments":""}}]},
         "logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}"""))
        .isEqualTo("{\"id\":\"msg_chatcmpl-abc123\",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
            + "\"gpt-4o-mini\",\"content\":[{\"type\":\"tool_use\",\"id\":\"call_abc123\",\"name\":"
            + "\"get_current_weather\",\"input\":{\"location\":\"Boston, MA\"}},{\"type\":\"tool_use\",\"id\":"
            + "\"call_def456\",\"name\":\"get_time\",\"input\":{}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":82,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
            + "\"output_tokens\":17}}");
  }

  @Test
  void cachedPromptTokensAreCacheReadsAndLeaveInputTokens() throws Exception {
    assertThat(anthropic("""
        {"id":"chatcmpl-c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
         "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
                  "prompt_tokens_details":{"cached_tokens":1920}}}"""))
        .endsWith("\"usage\":{\"input_tokens\":86,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1920,"
            + "\"output_tokens\":300}}");
  }

  @Test
  void finishReasonsBecomeStopReasons() {
    assertThat(MessagesWriter.stopReason(FinishReason.STOP, false)).isEqualTo("end_turn");
    assertThat(MessagesWriter.stopReason(FinishReason.LENGTH, false)).isEqualTo("max_tokens");
    assertThat(MessagesWriter.stopReason(FinishReason.TOOL_CALLS, true)).isEqualTo("tool_use");
    assertThat(MessagesWriter.stopReason(FinishReason.STOP, true)).as("Gemini says STOP with a call").isEqualTo("tool_use");
    assertThat(MessagesWriter.stopReason(FinishReason.CONTENT_FILTER, false)).isEqualTo("refusal");
    assertThat(MessagesWriter.stopReason(null, false)).isEqualTo("end_turn");
  }

  @Test
  void anEmptyAnswerHasNoEmptyTextBlockWhichAnthropicWouldRefuseWhenItComesBack() throws Exception {
    assertThat(anthropic("""
        {"id":"chatcmpl-e","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
         "message":{"role":"assistant","content":""},"finish_reason":"length"}],
         "usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5}}"""))
        .contains("\"content\":[],\"stop_reason\":\"max_tokens\"");
  }

  @Test
  void aProviderThatReportsNoUsageGetsTheEstimate() throws Exception {
    assertThat(anthropic("""
        {"id":"x","object":"chat.completion","created":1,"model":"local","choices":[{"index":0,
         "message":{"role":"assistant","content":"12345678"},"finish_reason":"stop"}]}"""))
        .startsWith("{\"id\":\"msg_x\",")
        .endsWith("\"usage\":{\"input_tokens\":99,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
            + "\"output_tokens\":2}}");
  }

  @Test
  void idsAnthropicWouldRefuseLaterAreMadeSafe() {
    assertThat(MessagesWriter.toolUseId("call_abc123")).isEqualTo("call_abc123");
    assertThat(MessagesWriter.toolUseId("functions.get_weather:0")).isEqualTo("functions_get_weather_0");
    assertThat(MessagesWriter.toolUseId("")).startsWith("toolu_").hasSize(30);
    assertThat(MessagesWriter.messageId("msg_01XFDUDYJgAACzvnptvVoYEL")).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
  }
}
