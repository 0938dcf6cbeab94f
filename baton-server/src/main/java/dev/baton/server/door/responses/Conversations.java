package dev.baton.server.door.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.InvalidRequestException;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.store.ResponseStore;
import dev.baton.server.store.StoredResponse;
import dev.baton.wire.Json;
import dev.baton.wire.RawObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Stored responses as conversations: what the door keeps of each response it stores, and the conversation
 * a {@code previous_response_id} continues. A stored document is
 * {@code {"native": bool, "conversation": [items], "response": {Response}}}: the items the model was given
 * (the earlier turns included, so one lookup rebuilds a whole conversation), and the Response as the caller
 * received it. The next turn's history is those items followed by the response's output, as items a model
 * of any provider can be given: the output of an answer Baton translated loses the ids Baton made up for it
 * (no upstream knows them), while a native answer's output keeps its upstream's ids, which its reasoning
 * items need.
 */
final class Conversations {

  /** How long a stored response is kept: 30 days, as OpenAI keeps them. */
  static final Duration KEPT_FOR = Duration.ofDays(30);

  private final ResponseStore store;

  Conversations(ResponseStore store) {
    this.store = store;
  }

  ResponseStore store() {
    return store;
  }

  /**
   * The conversation a new turn continues: the stored items and the stored response's output.
   *
   * @throws InvalidRequestException OpenAI's {@code previous_response_not_found} when there is no such
   *     response, or it is not the caller's
   */
  List<JsonNode> history(String previousResponseId, @Nullable Caller caller) {
    StoredResponse stored = find(previousResponseId, caller).orElseThrow(() -> new InvalidRequestException(
        "previous_response_id", "Previous response with id '" + previousResponseId + "' not found."));
    JsonNode document = parse(stored);
    List<JsonNode> history = new ArrayList<>();
    document.path("conversation").forEach(history::add);
    boolean nativeAnswer = document.path("native").asBoolean();
    for (JsonNode item : document.path("response").path("output")) {
      if (!nativeAnswer && item instanceof ObjectNode madeHere) {
        ObjectNode asInput = madeHere.deepCopy();
        asInput.remove("id");
        asInput.remove("status");
        history.add(asInput);
      } else {
        history.add(item);
      }
    }
    return history;
  }

  /** A stored response if it exists and the caller may see it (its owner, or the administrator). */
  Optional<StoredResponse> find(String id, @Nullable Caller caller) {
    return store.get(id).filter(stored -> caller == null || caller.admin() || stored.owner().equals(callerId(caller)));
  }

  /**
   * Stores a response.
   *
   * @param conversation the items the model was given, as a JSON array
   * @param response the Response object as the caller received it
   * @param nativeAnswer whether a deployment that speaks the Responses API wrote it
   */
  void put(String id, @Nullable Caller caller, byte[] conversation, byte[] response, boolean nativeAnswer) {
    byte[] head = (nativeAnswer ? "{\"native\":true,\"conversation\":" : "{\"native\":false,\"conversation\":")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] middle = ",\"response\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream document =
        new java.io.ByteArrayOutputStream(head.length + conversation.length + middle.length + response.length + 1);
    document.writeBytes(head);
    document.writeBytes(conversation);
    document.writeBytes(middle);
    document.writeBytes(response);
    document.write('}');
    Instant now = Instant.now();
    store.put(new StoredResponse(id, callerId(caller), now, now.plus(KEPT_FOR), document.toByteArray()));
  }

  /** The Response object of a stored document, as its bytes. */
  static byte[] response(StoredResponse stored) {
    try {
      RawObject document = RawObject.of(stored.document());
      for (RawObject.Field field : document.fields()) {
        if (field.name().equals("response")) {
          return java.util.Arrays.copyOfRange(document.bytes(), field.valueStart(), field.end());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a stored response is not the JSON the door stored", e);
    }
    throw new IllegalStateException("a stored response has no Response object");
  }

  static String callerId(@Nullable Caller caller) {
    return caller == null ? Caller.ANONYMOUS.id() : caller.id();
  }

  private static JsonNode parse(StoredResponse stored) {
    try {
      return Json.parse(stored.document());
    } catch (IOException e) {
      throw new UncheckedIOException("a stored response is not the JSON the door stored", e);
    }
  }
}
