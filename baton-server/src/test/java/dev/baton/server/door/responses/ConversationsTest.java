package dev.baton.server.door.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.InvalidRequestException;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.store.InMemoryResponseStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stored responses as conversations: whose they are, and the history a next turn is given. */
class ConversationsTest {

  final Conversations conversations = new Conversations(new InMemoryResponseStore());
  final Caller alice = new Caller.Named("key_alice", false);
  final Caller bob = new Caller.Named("key_bob", false);

  static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static final String CONVERSATION = "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"Hi\"}]";

  static String response(String id, String output) {
    return "{\"id\":\"" + id + "\",\"object\":\"response\",\"output\":" + output + "}";
  }

  @Test
  void aResponseIsItsOwnersAndTheAdministratorsOnly() {
    conversations.put("resp_1", alice, json(CONVERSATION), json(response("resp_1", "[]")), false);

    assertThat(conversations.find("resp_1", alice)).isPresent();
    assertThat(conversations.find("resp_1", bob)).as("another key's response is as good as unknown").isEmpty();
    assertThat(conversations.find("resp_1", Caller.MASTER)).isPresent();
    assertThatThrownBy(() -> conversations.history("resp_1", bob)).isInstanceOf(InvalidRequestException.class)
        .hasMessage("Previous response with id 'resp_1' not found.");
  }

  @Test
  void aTranslatedAnswersOutputLosesTheIdsBatonMadeUpForIt() {
    conversations.put("resp_2", alice, json(CONVERSATION), json(response("resp_2",
        "[{\"id\":\"msg_baton\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":"
            + "[{\"type\":\"output_text\",\"text\":\"Hello\"}]},{\"id\":\"fc_baton\",\"type\":\"function_call\","
            + "\"status\":\"completed\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"}]")), false);

    List<JsonNode> history = conversations.history("resp_2", alice);

    assertThat(history).hasSize(3);
    assertThat(history.get(0).path("content").asText()).isEqualTo("Hi");
    assertThat(history.get(1).has("id")).isFalse();
    assertThat(history.get(1).has("status")).isFalse();
    assertThat(history.get(1).at("/content/0/text").asText()).isEqualTo("Hello");
    assertThat(history.get(2).has("id")).isFalse();
    assertThat(history.get(2).path("call_id").asText()).isEqualTo("call_1");
  }

  @Test
  void aNativeAnswersOutputKeepsItsUpstreamsIdsForItsReasoningItems() {
    conversations.put("resp_3", alice, json(CONVERSATION), json(response("resp_3",
        "[{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[]},{\"id\":\"msg_up\",\"type\":\"message\","
            + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[]}]")), true);

    List<JsonNode> history = conversations.history("resp_3", alice);

    assertThat(history).extracting(item -> item.path("id").asText()).containsExactly("", "rs_1", "msg_up");
  }

  @Test
  void theStoredResponseIsReturnedAsItWasAnswered() {
    String answer = response("resp_4", "[]");
    conversations.put("resp_4", alice, json(CONVERSATION), json(answer), true);

    byte[] stored = Conversations.response(conversations.find("resp_4", alice).orElseThrow());

    assertThat(new String(stored, StandardCharsets.UTF_8)).isEqualTo(answer);
  }
}
