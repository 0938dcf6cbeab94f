package dev.baton.server.door;

import static dev.baton.testkit.AnthropicFixtures.PING;
import static dev.baton.testkit.AnthropicFixtures.blockStop;
import static dev.baton.testkit.AnthropicFixtures.messageDelta;
import static dev.baton.testkit.AnthropicFixtures.messageStart;
import static dev.baton.testkit.AnthropicFixtures.textDelta;
import static dev.baton.testkit.AnthropicFixtures.textStart;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.AllModelsFailedException;
import dev.baton.Attempt;
import dev.baton.ChatChunk;
import dev.baton.ChatResponse;
import dev.baton.ChatStream;
import dev.baton.ConnectionFailedException;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.Pipeline;
import dev.baton.server.pipeline.RequestId;
import dev.baton.server.pipeline.TestCall;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.wire.OpenAiResponseReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The stream half of the translation table: Chat Completions chunks as OpenAI's documentation streams
 * them, and the events a Messages caller receives for them, in the order Anthropic's documentation gives;
 * and a passed-through Anthropic stream, continued by another provider after a break.
 */
class AnthropicStreamTest {

  static final String HEAD = "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,"
      + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"delta\":";

  /** A chunk as OpenAI streams it, read as an OpenAI deployment reads it. */
  static ChatChunk openAi(String deltaAndFinish) {
    try {
      return OpenAiResponseReader.chunk((HEAD + deltaAndFinish + "}]}").getBytes(StandardCharsets.UTF_8), "gpt-4o");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Anthropic events passed through, as the Anthropic provider hands them on. */
  static ChatChunk passed(String... frames) {
    return new ChatChunk("msg_01Stream", 0, "claude", 0, null, null, List.of(), null, null,
        String.join("", frames).getBytes(StandardCharsets.UTF_8));
  }

  static String event(String name, String data) {
    return AnthropicFixtures.event(name, data);
  }

  /** What the caller receives for these chunks, then the stream's end (or {@code failure}). */
  static TestCall write(List<ChatChunk> chunks, @Nullable Usage usage, @Nullable RuntimeException failure) {
    ChatStream stream = new ListStream(chunks, usage, failure);
    TestCall call = TestCall.post("/v1/messages", "{}");
    Pipeline.builder().requestId(new RequestId()).build().serve(call, "/v1/messages", new Endpoint() {
      @Override
      public ErrorShape errors() {
        return AnthropicErrors.SHAPE;
      }

      @Override
      public void answer(Exchange exchange) {
        AnthropicStream.write(exchange, stream, 21);
      }
    });
    return call;
  }

  static final String START = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":"
      + "\"msg_chatcmpl-123\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"gpt-4o-mini\",\"content\":[],"
      + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":21,\"cache_creation_input_tokens\":0,"
      + "\"cache_read_input_tokens\":0,\"output_tokens\":0}}}");

  static String stop(int index) {
    return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
  }

  static String delta(String stopReason, int input, int output) {
    return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
        + "\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":0,"
        + "\"cache_read_input_tokens\":0,\"output_tokens\":" + output + "}}");
  }

  static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

  static String text(int index, String text) {
    return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
        + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
  }

  static String textBlock(int index) {
    return event("content_block_start", "{\"type\":\"content_block_start\",\"index\":" + index
        + ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
  }

  static final String OUR_PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";

  @Test
  void aTextStreamIsAnthropicsEventsInTheirDocumentedOrder() {
    TestCall call = write(List.of(
        openAi("{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null"),
        openAi("{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null"),
        openAi("{\"content\":\"!\"},\"logprobs\":null,\"finish_reason\":null"),
        openAi("{},\"logprobs\":null,\"finish_reason\":\"stop\"")), Usage.of(9, 2), null);

    assertThat(call.answerHeader("content-type")).isEqualTo("text/event-stream");
    assertThat(call.answerBody()).isEqualTo(START + textBlock(0) + OUR_PING + text(0, "Hello") + text(0, "!")
        + stop(0) + delta("end_turn", 9, 2) + MESSAGE_STOP);
  }

  @Test
  void aStreamedToolCallIsAToolUseBlockWithInputJsonDeltas() {
    TestCall call = write(List.of(
        openAi("{\"role\":\"assistant\",\"content\":\"Let me check.\"},\"finish_reason\":null"),
        openAi("{\"tool_calls\":[{\"index\":0,\"id\":\"call_DdmO9pD3xa9XTPNJ32zg2hcA\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null"),
        openAi("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"location\\\":\"}}]},"
            + "\"finish_reason\":null"),
        openAi("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}]},"
            + "\"finish_reason\":null"),
        openAi("{},\"finish_reason\":\"tool_calls\"")), Usage.of(80, 17), null);

    assertThat(call.answerBody()).isEqualTo(START + textBlock(0) + OUR_PING + text(0, "Let me check.") + stop(0)
        + event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":"
            + "\"tool_use\",\"id\":\"call_DdmO9pD3xa9XTPNJ32zg2hcA\",\"name\":\"get_weather\",\"input\":{}}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
            + "\"input_json_delta\",\"partial_json\":\"{\\\"location\\\":\"}}")
        + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
            + "\"input_json_delta\",\"partial_json\":\"\\\"Paris\\\"}\"}}")
        + stop(1) + delta("tool_use", 80, 17) + MESSAGE_STOP);
  }

  @Test
  void theTokenLimitAndAContentFilterBecomeTheirStopReasons() {
    assertThat(write(List.of(openAi("{\"content\":\"cut\"},\"finish_reason\":\"length\"")), Usage.of(1, 1), null)
        .answerBody()).contains("\"stop_reason\":\"max_tokens\"");
    assertThat(write(List.of(openAi("{\"content\":\"I\"},\"finish_reason\":\"content_filter\"")), Usage.of(1, 1), null)
        .answerBody()).contains("\"stop_reason\":\"refusal\"");
  }

  @Test
  void passedThroughEventsGoOutAsTheyCameAndNothingIsAddedAfterTheirEnd() {
    List<String> frames = AnthropicFixtures.textStream("Hi", " there");
    List<ChatChunk> chunks = new ArrayList<>();
    for (String frame : frames.subList(0, frames.size() - 2)) {
      chunks.add(passed(frame));
    }
    chunks.add(passed(frames.get(frames.size() - 2), frames.get(frames.size() - 1)));
    chunks.add(new ChatChunk("msg_01Stream", 0, "claude", 0, null, null, List.of(), null, Usage.of(25, 15), null));

    TestCall call = write(chunks, Usage.of(25, 15), null);

    assertThat(call.answerBody()).isEqualTo(String.join("", frames));
  }

  @Test
  void aBrokenPassedThroughStreamIsContinuedInTheBlockThatWasOpen() {
    TestCall call = write(List.of(
        passed(messageStart(25, 0, 0)), passed(textStart(0)), passed(PING), passed(textDelta(0, "The answer")),
        openAi("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null"),
        openAi("{\"content\":\" goes on.\"},\"finish_reason\":null"),
        openAi("{},\"finish_reason\":\"stop\"")), new Usage(60, 9, 0, 0), null);

    assertThat(call.answerBody()).isEqualTo(messageStart(25, 0, 0) + textStart(0) + PING + textDelta(0, "The answer")
        + text(0, " goes on.") + stop(0) + delta("end_turn", 60, 9) + MESSAGE_STOP);
  }

  @Test
  void aContinuationAfterAClosedBlockStartsTheNextOne() {
    TestCall call = write(List.of(
        passed(messageStart(25, 0, 0)), passed(event("content_block_start", "{\"type\":\"content_block_start\","
            + "\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}")),
        passed(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
            + "\"thinking_delta\",\"thinking\":\"Let me think.\"}}")), passed(blockStop(0)),
        passed(textStart(1)), passed(textDelta(1, "Done")), passed(blockStop(1)),
        openAi("{\"content\":\" Also this.\"},\"finish_reason\":\"stop\"")), Usage.of(30, 5), null);

    assertThat(call.answerBody()).endsWith(blockStop(1) + textBlock(2) + text(2, " Also this.") + stop(2)
        + delta("end_turn", 30, 5) + MESSAGE_STOP);
  }

  @Test
  void aBreakThatCannotBeCompletedEndsWithAnErrorEventAndNoMessageStop() {
    UpstreamException cut = new ConnectionFailedException(UpstreamException.Source.of("claude", "anthropic"),
        "the stream ended before the answer was complete (no message_stop)", null);
    TestCall call = write(List.of(passed(messageStart(25, 0, 0)), passed(textStart(0)), passed(textDelta(0, "Half"))),
        null, new AllModelsFailedException("Every model failed for 'claude': " + cut.getMessage(), cut, null, List.of()));

    assertThat(call.answerBody()).isEqualTo(messageStart(25, 0, 0) + textStart(0) + textDelta(0, "Half")
        + event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Every model failed for"
            + " 'claude': the stream ended before the answer was complete (no message_stop)\"}}"));
  }

  @Test
  void anEmptyAnswerIsAMessageWithoutBlocks() {
    TestCall call = write(List.of(openAi("{},\"finish_reason\":\"stop\"")), Usage.of(4, 0), null);

    assertThat(call.answerBody()).isEqualTo(START + delta("end_turn", 4, 0) + MESSAGE_STOP);
  }

  @Test
  void withoutReportedUsageTheEndCarriesTheEstimate() {
    TestCall call = write(List.of(openAi("{\"content\":\"12345678\"},\"finish_reason\":\"stop\"")), null, null);

    assertThat(call.answerBody()).contains(delta("end_turn", 21, 2));
  }

  /** A stream of fixed chunks, ending as the test says. */
  record ListStream(List<ChatChunk> chunks, @Nullable Usage usage, @Nullable RuntimeException failure)
      implements ChatStream {

    @Override
    public Iterator<ChatChunk> iterator() {
      Iterator<ChatChunk> inner = chunks.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          if (!inner.hasNext() && failure != null) {
            throw failure;
          }
          return inner.hasNext();
        }

        @Override
        public ChatChunk next() {
          return inner.next();
        }
      };
    }

    @Override
    public String model() {
      return "claude";
    }

    @Override
    public List<Attempt> attempts() {
      return List.of();
    }

    @Override
    public ChatResponse collect() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
