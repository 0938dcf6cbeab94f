package dev.baton.server.door.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.AllModelsFailedException;
import dev.baton.ChatChunk;
import dev.baton.FinishReason;
import dev.baton.RateLimitedException;
import dev.baton.ToolCallDelta;
import dev.baton.UpstreamException;
import dev.baton.Usage;
import dev.baton.testkit.ResponsesFixtures;
import dev.baton.wire.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The event stream of OpenAI's streaming reference, made from the router's chunks: the order of the events
 * around each output item, the numbering, how an answer that is cut short or fails ends, and taking over a
 * native stream that broke off.
 */
class ResponseStreamTest {

  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ResponseStream stream = new ResponseStream(out, "resp_test", 1767874658L,
      ChatTranslationTest.read("{\"model\":\"smart\",\"input\":\"hi\",\"metadata\":{\"topic\":\"t\"}}"));

  static ChatChunk text(String text) {
    return new ChatChunk("chatcmpl-1", 1, "gpt-4o-2024-08-06", 0, null, text, List.of(), null, null, null);
  }

  static ChatChunk call(int index, String id, String name, String arguments) {
    return new ChatChunk("chatcmpl-1", 1, "gpt-4o-2024-08-06", 0, null, null,
        List.of(new ToolCallDelta(index, id, name, arguments)), null, null, null);
  }

  static ChatChunk finish(FinishReason reason) {
    return new ChatChunk("chatcmpl-1", 1, "gpt-4o-2024-08-06", 0, null, null, List.of(), reason, null, null);
  }

  record Event(String type, JsonNode data) {}

  List<Event> events() {
    List<Event> events = new ArrayList<>();
    for (String block : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
      String[] lines = block.split("\n", 2);
      try {
        events.add(new Event(lines[0].substring("event: ".length()),
            Json.parse(lines[1].substring("data: ".length()).getBytes(StandardCharsets.UTF_8))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).data().path("sequence_number").asInt()).as("sequence_number of event " + i).isEqualTo(i);
      assertThat(events.get(i).data().path("type").asText()).isEqualTo(events.get(i).type());
    }
    return events;
  }

  static List<String> types(List<Event> events) {
    return events.stream().map(Event::type).toList();
  }

  @Test
  void textThenFunctionCallsEachItemClosedBeforeTheNextOpens() throws IOException {
    stream.chunk(text("Let me check."));
    stream.chunk(call(0, "call_a", "get_weather", "{\"city\":"));
    stream.chunk(call(0, null, null, "\"Paris\"}"));
    stream.chunk(call(1, "call_b", "get_time", "{}"));
    stream.chunk(finish(FinishReason.TOOL_CALLS));
    ResponseStream.Finished finished = stream.end(Usage.of(20, 10));

    List<Event> events = events();
    assertThat(types(events)).containsExactly(
        "response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added", "response.output_text.delta",
        "response.output_text.done", "response.content_part.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done",
        "response.completed");
    assertThat(events.get(8).data().path("output_index").asInt()).isEqualTo(1);
    assertThat(events.get(13).data().path("output_index").asInt()).isEqualTo(2);
    assertThat(events.get(11).data().path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(events.get(11).data().path("name").asText()).isEqualTo("get_weather");
    JsonNode response = events.get(17).data().path("response");
    assertThat(response.path("output")).hasSize(3);
    assertThat(response.at("/output/1/call_id").asText()).isEqualTo("call_a");
    assertThat(response.at("/output/2/name").asText()).isEqualTo("get_time");
    assertThat(response.path("usage")).isEqualTo(ResponseObjects.usage(Usage.of(20, 10)));
    assertThat(response.path("metadata").path("topic").asText()).isEqualTo("t");
    assertThat(response.path("model").asText()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(finished.nativeAnswer()).isFalse();
    assertThat(finished.id()).isEqualTo("resp_test");
  }

  @Test
  void anAnswerCutShortByItsTokenLimitEndsAsIncomplete() throws IOException {
    stream.chunk(text("Once upon"));
    stream.chunk(finish(FinishReason.LENGTH));
    stream.end(Usage.of(5, 2));

    List<Event> events = events();
    Event last = events.get(events.size() - 1);
    assertThat(last.type()).isEqualTo("response.incomplete");
    assertThat(last.data().at("/response/status").asText()).isEqualTo("incomplete");
    assertThat(last.data().at("/response/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    assertThat(last.data().at("/response/output/0/status").asText()).isEqualTo("incomplete");
  }

  @Test
  void anAnswerThatCannotBeCompletedEndsWithResponseFailedHoldingWhatWasSent() throws IOException {
    stream.chunk(text("t0 "));
    stream.chunk(text("t1 "));
    UpstreamException cause = new RateLimitedException(
        new UpstreamException.Source("solo", "openai", 429, "rate_limit_exceeded", Duration.ofSeconds(3)), "slow down");
    stream.fail(new AllModelsFailedException("every model failed: solo: 429 slow down", cause, null, List.of()));

    List<Event> events = events();
    assertThat(types(events)).doesNotContain("response.completed").last().isEqualTo("response.failed");
    JsonNode failed = events.get(events.size() - 1).data().path("response");
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(failed.at("/error/message").asText()).contains("slow down");
    assertThat(failed.at("/output/0/content/0/text").asText()).isEqualTo("t0 t1 ");
    assertThat(failed.at("/output/0/status").asText()).isEqualTo("incomplete");
  }

  @Test
  void anUnbrokenNativeStreamIsRelayedAsItCameAndItsOwnResponseIsTheStoredOne() throws IOException {
    List<String> upstream = ResponsesFixtures.textStream("Hi", " there");
    for (String frame : upstream) {
      stream.chunk(nativeChunk(frame));
    }
    ResponseStream.Finished finished = stream.end(Usage.of(11, 18));

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("", upstream));
    assertThat(finished.nativeAnswer()).isTrue();
    assertThat(finished.id()).isEqualTo(ResponsesFixtures.RESPONSE_ID);
    assertThat(new String(finished.response(), StandardCharsets.UTF_8)).isEqualTo(ResponsesFixtures.textResponse("Hi there"));
  }

  @Test
  void aBrokenNativeStreamIsTakenOverWhereItStopped() throws IOException {
    List<String> upstream = ResponsesFixtures.brokenTextStream("The quick", " brown");
    for (String frame : upstream) {
      stream.chunk(nativeChunk(frame));
    }
    stream.chunk(text(" fox."));
    stream.chunk(finish(FinishReason.STOP));
    ResponseStream.Finished finished = stream.end(Usage.of(30, 9));

    List<Event> events = events();
    List<Event> made = events.subList(upstream.size(), events.size());
    assertThat(types(made)).containsExactly("response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(made.get(0).data().path("item_id").asText()).isEqualTo(ResponsesFixtures.MESSAGE_ID);
    assertThat(made.get(1).data().path("text").asText()).isEqualTo("The quick brown fox.");
    JsonNode response = made.get(4).data().path("response");
    assertThat(response.path("id").asText()).isEqualTo(ResponsesFixtures.RESPONSE_ID);
    assertThat(response.path("status").asText()).isEqualTo("completed");
    assertThat(response.at("/output/0/content/0/text").asText()).isEqualTo("The quick brown fox.");
    assertThat(response.path("model").asText()).as("who finished it").isEqualTo("gpt-4o-2024-08-06");
    assertThat(finished.nativeAnswer()).as("the gateway wrote its end").isFalse();
  }

  /** A chunk as the native Responses provider hands it over: the frame, and the text it carries. */
  static ChatChunk nativeChunk(String frame) {
    String delta = null;
    if (frame.startsWith("event: response.output_text.delta\n")) {
      try {
        delta = Json.parse(frame.substring(frame.indexOf("data: ") + 6).strip().getBytes(StandardCharsets.UTF_8))
            .path("delta").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new ChatChunk(ResponsesFixtures.RESPONSE_ID, 1767874658L, ResponsesFixtures.MODEL, 0, null, delta, List.of(),
        null, null, frame.getBytes(StandardCharsets.UTF_8));
  }
}
