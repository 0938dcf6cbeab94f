package dev.baton.server.door.responses;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.FinishReason;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import dev.baton.wire.Json;
import dev.baton.wire.RawObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Responses API event stream, in the order OpenAI documents, each event with its {@code sequence_number}:
 * {@code response.created}, {@code response.in_progress}, then for each output item
 * {@code response.output_item.added}, for text {@code response.content_part.added},
 * {@code response.output_text.delta}…, {@code response.output_text.done}, {@code response.content_part.done},
 * for a function call {@code response.function_call_arguments.delta}…,
 * {@code response.function_call_arguments.done}, then {@code response.output_item.done}; last
 * {@code response.completed} (or {@code response.incomplete} when the answer was cut short).
 *
 * <p>Chunks from a deployment that speaks the Responses API carry the upstream's own events, which are
 * written as they came. Chunks from any other deployment are written as events made here. When a native
 * stream breaks off and another deployment continues it, the stream takes over from the upstream's events:
 * the continuation comes as more {@code response.output_text.delta} events of the same item, with the
 * sequence numbers following on. An answer that cannot be completed ends with {@code response.failed},
 * never {@code response.completed}.
 */
final class ResponseStream {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final String id;
  private final long createdAt;
  private final ResponsesRequest request;

  /** The Response as it stands, once events are made here; null while only the upstream's are relayed. */
  private @Nullable ObjectNode response;
  private final ArrayNode output = NODES.arrayNode();
  private @Nullable Item open;
  private final Map<Integer, Item> callsByIndex = new HashMap<>();
  private int sequence;
  private @Nullable FinishReason finish;
  private String model = "";

  private final NativeEvents upstream = new NativeEvents();

  /** One output item being written: a message's text, or a function call's arguments. */
  private static final class Item {
    final String id;
    final int outputIndex;
    final boolean message;
    int contentIndex = -1;
    final StringBuilder text = new StringBuilder();
    @Nullable String callId;
    @Nullable String name;
    @Nullable JsonNode nativeItem;

    Item(String id, int outputIndex, boolean message) {
      this.id = id;
      this.outputIndex = outputIndex;
      this.message = message;
    }
  }

  /**
   * @param id the response's id, for events made here
   * @param createdAt when the response was made, in seconds since the epoch
   */
  ResponseStream(OutputStream out, String id, long createdAt, ResponsesRequest request) {
    this.out = out;
    this.id = id;
    this.createdAt = createdAt;
    this.request = request;
  }

  /** Writes what one chunk carries, and flushes it. */
  void chunk(ChatChunk chunk) throws IOException {
    byte[] frame = chunk.upstreamBody();
    if (frame != null && response == null) {
      upstream.relayed(frame, chunk);
      out.write(frame);
      out.flush();
      return;
    }
    if (chunk.isUsageOnly()) {
      return;
    }
    if (response == null) {
      start(chunk.upstreamModel());
    }
    model = chunk.upstreamModel().isEmpty() ? model : chunk.upstreamModel();
    if (chunk.content() != null && !chunk.content().isEmpty()) {
      text(chunk.content());
    }
    for (ToolCallDelta delta : chunk.toolCalls()) {
      toolCall(delta);
    }
    if (chunk.finishReason() != null) {
      finish = chunk.finishReason();
    }
    out.flush();
  }

  /**
   * Ends a stream whose answer is complete: the open items and {@code response.completed} (or
   * {@code response.incomplete}).
   *
   * @return the final Response as the caller received it, and whether it is the upstream's own
   */
  Finished end(@Nullable Usage usage) throws IOException {
    if (response == null) {
      byte[] completed = upstream.terminal;
      if (completed != null) {
        return new Finished(NativeEvents.responseOf(completed), true);
      }
      start(model); // an answer with no content at all
    }
    close(ResponseObjects.itemStatus(finish));
    ObjectNode done = ResponseObjects.finished(response, output, usage == null ? Usage.NONE : usage, finish, model);
    byte[] json = Json.MAPPER.writeValueAsBytes(done);
    boolean incomplete = "incomplete".equals(done.path("status").textValue());
    event(incomplete ? "response.incomplete" : "response.completed", gen -> {
      gen.writeFieldName("response");
      gen.writeRawValue(new String(json, StandardCharsets.UTF_8));
    });
    out.flush();
    return new Finished(json, false);
  }

  /** The final Response of a stream that ended well, and whether the upstream wrote it. */
  record Finished(byte[] response, boolean nativeAnswer) {

    /** The Response's id, or null when it has none. */
    @Nullable String id() {
      try {
        JsonNode id = RawObject.of(response).value("id");
        return id == null ? null : id.textValue();
      } catch (IOException e) {
        return null;
      }
    }
  }

  /** Ends a stream whose answer broke off and could not be completed: {@code response.failed}. */
  void fail(BatonException error) throws IOException {
    if (response == null) {
      start(model);
    }
    ArrayNode partial = output.deepCopy();
    if (open != null) {
      partial.add(itemNode(open, "incomplete"));
    }
    ObjectNode failed = ResponseObjects.failed(response, partial, error);
    event("response.failed", gen -> {
      gen.writeFieldName("response");
      gen.writeTree(failed);
    });
    out.flush();
  }

  /** The first event made here: a new response's opening events, or taking over from the upstream's. */
  private void start(String upstreamModel) throws IOException {
    model = upstreamModel;
    if (upstream.created != null) {
      takeOver();
      return;
    }
    response = ResponseObjects.inProgress(id, createdAt, upstreamModel, request);
    ObjectNode started = response;
    event("response.created", gen -> {
      gen.writeFieldName("response");
      gen.writeTree(started);
    });
    event("response.in_progress", gen -> {
      gen.writeFieldName("response");
      gen.writeTree(started);
    });
  }

  /** Continues a native stream that broke off: its response, its finished items, its open item, its numbering. */
  private void takeOver() {
    JsonNode created = NativeEvents.data(upstream.created).get("response");
    response = created != null && created.isObject() ? (ObjectNode) created
        : ResponseObjects.inProgress(id, createdAt, model, request);
    for (byte[] done : upstream.done) {
      output.add(NativeEvents.data(done).path("item"));
    }
    if (upstream.openItem != null) {
      JsonNode added = NativeEvents.data(upstream.openItem);
      JsonNode item = added.path("item");
      boolean message = "message".equals(Json.text(item, "type"));
      Item resumed = new Item(Json.text(item, "id") == null ? Ids.message() : Json.text(item, "id"),
          added.path("output_index").asInt(output.size()), message);
      resumed.nativeItem = item;
      resumed.text.append(upstream.text);
      if (upstream.openPart != null) {
        resumed.contentIndex = NativeEvents.data(upstream.openPart).path("content_index").asInt(0);
      }
      if (!message) {
        resumed.callId = Json.text(item, "call_id");
        resumed.name = Json.text(item, "name");
      }
      open = resumed;
    }
    sequence = NativeEvents.data(upstream.last).path("sequence_number").asInt(upstream.count - 1) + 1;
  }

  private void text(String delta) throws IOException {
    Item item = open;
    if (item == null || !item.message) {
      close("completed");
      item = new Item(Ids.message(), output.size(), true);
      open = item;
      ObjectNode added = ResponseObjects.message(item.id, "", "in_progress");
      Item opened = item;
      event("response.output_item.added", gen -> {
        gen.writeNumberField("output_index", opened.outputIndex);
        gen.writeFieldName("item");
        gen.writeTree(added);
      });
    }
    if (item.contentIndex < 0) {
      item.contentIndex = 0;
      partEvent("response.content_part.added", item, "");
    }
    item.text.append(delta);
    textEvent("response.output_text.delta", item, "delta", delta);
  }

  private void toolCall(ToolCallDelta delta) throws IOException {
    Item call = callsByIndex.get(delta.index());
    if (call == null) {
      close("completed");
      call = new Item(Ids.functionCall(), output.size(), false);
      call.callId = delta.id() == null || delta.id().isEmpty() ? Ids.call() : delta.id();
      call.name = delta.name() == null ? "" : delta.name();
      callsByIndex.put(delta.index(), call);
      open = call;
      ObjectNode added = ResponseObjects.functionCall(call.id, call.callId, call.name, "", "in_progress");
      Item opened = call;
      event("response.output_item.added", gen -> {
        gen.writeNumberField("output_index", opened.outputIndex);
        gen.writeFieldName("item");
        gen.writeTree(added);
      });
    } else if (call.name != null && call.name.isEmpty() && delta.name() != null) {
      call.name = delta.name();
    }
    String arguments = delta.arguments();
    if (arguments != null && !arguments.isEmpty()) {
      call.text.append(arguments);
      Item current = call;
      event("response.function_call_arguments.delta", gen -> {
        where(gen, current);
        gen.writeStringField("delta", arguments);
      });
    }
  }

  /** Closes the open item: its done events, and it joins the output. */
  private void close(String status) throws IOException {
    Item item = open;
    if (item == null) {
      return;
    }
    open = null;
    if (item.message) {
      if (item.contentIndex >= 0) {
        String text = item.text.toString();
        textEvent("response.output_text.done", item, "text", text);
        partEvent("response.content_part.done", item, text);
      }
    } else {
      String arguments = item.text.toString();
      event("response.function_call_arguments.done", gen -> {
        where(gen, item);
        gen.writeStringField("name", item.name);
        gen.writeStringField("arguments", arguments);
      });
    }
    ObjectNode done = itemNode(item, status);
    output.add(done);
    event("response.output_item.done", gen -> {
      gen.writeNumberField("output_index", item.outputIndex);
      gen.writeFieldName("item");
      gen.writeTree(done);
    });
  }

  /** A {@code response.output_text.*} event: a piece of a message's text, or all of it once it is done. */
  private void textEvent(String type, Item item, String field, String text) throws IOException {
    event(type, gen -> {
      where(gen, item);
      gen.writeNumberField("content_index", item.contentIndex);
      gen.writeStringField(field, text);
      gen.writeArrayFieldStart("logprobs");
      gen.writeEndArray();
    });
  }

  /** A {@code response.content_part.*} event: a message's text part, as it starts or once it is done. */
  private void partEvent(String type, Item item, String text) throws IOException {
    event(type, gen -> {
      where(gen, item);
      gen.writeNumberField("content_index", item.contentIndex);
      gen.writeFieldName("part");
      gen.writeTree(ResponseObjects.textPart(text));
    });
  }

  /** An item as the output holds it once it is over; a native item keeps the upstream's other fields. */
  private static ObjectNode itemNode(Item item, String status) {
    ObjectNode node;
    if (item.message) {
      node = ResponseObjects.message(item.id, item.text.toString(), status);
      if (item.nativeItem != null && item.nativeItem.path("content").isArray()) {
        // The parts the upstream finished before the break, then the one that was continued.
        ArrayNode parts = node.putArray("content");
        JsonNode earlier = item.nativeItem.get("content");
        for (int i = 0; i < earlier.size() && i < Math.max(item.contentIndex, 0); i++) {
          parts.add(earlier.get(i));
        }
        parts.add(ResponseObjects.textPart(item.text.toString()));
      }
    } else {
      node = ResponseObjects.functionCall(item.id, item.callId == null ? "" : item.callId,
          item.name == null ? "" : item.name, item.text.toString(), status);
    }
    return node;
  }

  private static void where(JsonGenerator gen, Item item) throws IOException {
    gen.writeStringField("item_id", item.id);
    gen.writeNumberField("output_index", item.outputIndex);
  }

  /** Writes one event made here: its type, its fields, its sequence number. */
  private void event(String type, Json.Writer fields) throws IOException {
    int number = sequence++;
    byte[] data = Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", type);
      fields.write(gen);
      gen.writeNumberField("sequence_number", number);
      gen.writeEndObject();
    });
    out.write(EVENT);
    out.write(type.getBytes(StandardCharsets.US_ASCII));
    out.write(DATA);
    out.write(data);
    out.write(END);
  }

  /**
   * What the stream keeps of the upstream's own events while it relays them, so that it can take over if
   * they break off: the few structural events as they came (read only then), the open item's text so far,
   * and the terminal event, whose Response the door stores.
   */
  private static final class NativeEvents {
    @Nullable byte[] created;
    @Nullable byte[] openItem;
    @Nullable byte[] openPart;
    final List<byte[]> done = new ArrayList<>();
    final StringBuilder text = new StringBuilder();
    @Nullable byte[] last;
    @Nullable byte[] terminal;
    int count;

    void relayed(byte[] frame, ChatChunk chunk) {
      last = frame;
      count++;
      if (chunk.content() != null) {
        text.append(chunk.content());
        return;
      }
      if (is(frame, "response.output_item.added")) {
        openItem = frame;
        openPart = null;
        text.setLength(0);
      } else if (is(frame, "response.content_part.added")) {
        openPart = frame;
      } else if (is(frame, "response.output_item.done")) {
        done.add(frame);
        openItem = null;
        openPart = null;
        text.setLength(0);
      } else if (is(frame, "response.created")) {
        created = frame;
      } else if (is(frame, "response.completed") || is(frame, "response.incomplete")) {
        terminal = frame;
      }
    }

    private static final int TYPE_AT = EVENT.length;

    /** Whether the frame is an event of this type: {@code event: <type>} and the end of its line. */
    static boolean is(byte[] frame, String type) {
      int end = TYPE_AT + type.length();
      if (frame.length <= end || frame[end] != '\n') {
        return false;
      }
      for (int i = 0; i < type.length(); i++) {
        if (frame[TYPE_AT + i] != type.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** An upstream event's data, parsed. */
    static JsonNode data(byte[] frame) {
      try {
        return Json.parse(dataBytes(frame));
      } catch (IOException e) {
        throw new UncheckedIOException("a relayed event is not JSON", e);
      }
    }

    /** The Response object a terminal event holds, as its bytes. */
    static byte[] responseOf(byte[] frame) throws IOException {
      byte[] data = dataBytes(frame);
      RawObject event = RawObject.of(data);
      for (RawObject.Field field : event.fields()) {
        if (field.name().equals("response")) {
          return Arrays.copyOfRange(data, field.valueStart(), field.end());
        }
      }
      throw new IOException("a terminal event without its response");
    }

    /** The data of an event as the provider framed it: one {@code data:} line per line of the JSON. */
    private static byte[] dataBytes(byte[] frame) {
      int at = indexOf(frame, "\ndata: ") + 7;
      int end = frame.length;
      while (end > at && (frame[end - 1] == '\n' || frame[end - 1] == '\r')) {
        end--;
      }
      String data = new String(frame, at, end - at, StandardCharsets.UTF_8);
      return data.replace("\ndata: ", "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static int indexOf(byte[] bytes, String text) {
      outer:
      for (int i = 0; i + text.length() <= bytes.length; i++) {
        for (int j = 0; j < text.length(); j++) {
          if (bytes[i + j] != text.charAt(j)) {
            continue outer;
          }
        }
        return i;
      }
      throw new IllegalStateException("a relayed event without data");
    }
  }
}
