package dev.baton.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatChunk;
import dev.baton.ContentPolicyException;
import dev.baton.FinishReason;
import dev.baton.Role;
import dev.baton.ToolCallDelta;
import dev.baton.UnreadableResponseException;
import dev.baton.provider.Call;
import dev.baton.provider.ChunkSource;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpStream;
import dev.baton.transport.SseReader;
import dev.baton.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads Anthropic's event stream into OpenAI-shaped chunks, one per delta as it arrives. Events are told
 * apart by their {@code event:} line, as Anthropic's SDKs do ({@code data.type} only when a proxy dropped
 * that line): {@code message_start} announces the role, a text delta is content, a {@code tool_use} block's
 * start is a tool-call fragment with id and name and each {@code input_json_delta} one with a piece of the
 * arguments; {@code ping} and unknown events are skipped; {@code event: error} is classified like an HTTP
 * error. Only {@code message_stop} completes the answer: then comes a chunk with the finish reason and a
 * usage-only chunk. A stream that ends before it is a failure, never a quiet end.
 *
 * <p>{@linkplain #passingThrough Passing through} a caller's Messages request, every event also goes back
 * as it came: each chunk carries its event's frame in its upstream bytes, and an event that is no chunk of
 * the OpenAI shape (a ping, a block's start or stop, thinking) becomes a chunk that carries only its
 * frame. The {@code message_delta} frame travels with {@code message_stop}'s, on the chunk that finishes
 * the answer, so a caller never sees a stop reason before the answer is known to be complete.
 */
final class MessagesStream implements ChunkSource.Reader {

  private final Call call;
  private final HttpStream stream;
  private final SseReader events;
  private final @Nullable String secret;
  private final LeadingWhitespace prefill;
  private final long created;
  private final ArrayDeque<ChatChunk> queued = new ArrayDeque<>(2);
  /** Content-block index to OpenAI tool-call index: tool calls are numbered among themselves. */
  private final Map<Integer, Integer> toolCalls = new HashMap<>();
  private String id = "";
  private String model;
  private MessagesResponse.Counts counts = MessagesResponse.Counts.NONE;
  private @Nullable String stopReason;
  private boolean answered;
  private boolean complete;
  /** Whether each event's frame goes back with its chunk; see {@link #passingThrough}. */
  private final boolean passThrough;
  /** Frames held back for the next chunk: {@code message_delta}'s, until {@code message_stop}. */
  private byte @Nullable [] heldFrames;

  MessagesStream(
      Call call, HttpStream stream, String requestedModel, @Nullable String secret, LeadingWhitespace prefill,
      long created) {
    this(call, stream, requestedModel, secret, prefill, created, false);
  }

  /** A reader for a caller's own Messages request: its chunks carry the events' frames as they came. */
  static MessagesStream passingThrough(
      Call call, HttpStream stream, String requestedModel, @Nullable String secret, long created) {
    return new MessagesStream(call, stream, requestedModel, secret, new LeadingWhitespace(""), created, true);
  }

  private MessagesStream(
      Call call, HttpStream stream, String requestedModel, @Nullable String secret, LeadingWhitespace prefill,
      long created, boolean passThrough) {
    this.passThrough = passThrough;
    this.call = call;
    this.stream = stream;
    this.events = new SseReader(stream.body());
    this.model = requestedModel;
    this.secret = secret;
    this.prefill = prefill;
    this.created = created;
  }

  @Override
  public @Nullable ChatChunk read() {
    while (true) {
      if (!queued.isEmpty()) {
        return queued.poll();
      }
      if (complete) {
        return null;
      }
      SseReader.Event event;
      try {
        event = events.next();
      } catch (IllegalStateException e) {
        throw new UnreadableResponseException(call.source(), "unreadable stream: " + e.getMessage(), e);
      }
      if (event == null) {
        throw call.connectionFailed("the stream ended before the answer was complete (no message_stop)", null);
      }
      ChatChunk chunk = passThrough ? framed(event) : handle(event);
      if (chunk != null) {
        return chunk;
      }
    }
  }

  /** The event's chunk with the event's frame in its upstream bytes; see {@link #passingThrough}. */
  private @Nullable ChatChunk framed(SseReader.Event event) {
    ChatChunk chunk = handle(event);
    String name = event.name() != null ? event.name() : Json.text(parse(event), "type");
    byte[] frame = frame(name, event.data());
    if ("message_delta".equals(name)) {
      heldFrames = concat(heldFrames, frame);
      return null;
    }
    byte[] frames = concat(heldFrames, frame);
    heldFrames = null;
    if (chunk == null) {
      return new ChatChunk(id, created, model, 0, null, null, List.of(), null, null, frames);
    }
    return new ChatChunk(chunk.id(), chunk.created(), chunk.upstreamModel(), chunk.index(), chunk.role(),
        chunk.content(), chunk.toolCalls(), chunk.finishReason(), chunk.usage(), frames);
  }

  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

  /** An event framed as Anthropic sends it: its {@code event:} line, its data lines, a blank line. */
  private static byte[] frame(@Nullable String name, byte[] data) {
    byte[] nameBytes = name == null ? null : name.getBytes(StandardCharsets.UTF_8);
    int lines = 1;
    for (byte b : data) {
      if (b == '\n') {
        lines++;
      }
    }
    byte[] out = new byte[(nameBytes == null ? 0 : EVENT.length + nameBytes.length + 1)
        + lines * (DATA.length + 1) + data.length - (lines - 1) + 1];
    int at = 0;
    if (nameBytes != null) {
      System.arraycopy(EVENT, 0, out, at, EVENT.length);
      at += EVENT.length;
      System.arraycopy(nameBytes, 0, out, at, nameBytes.length);
      at += nameBytes.length;
      out[at++] = '\n';
    }
    int lineStart = 0;
    for (int i = 0; i <= data.length; i++) {
      if (i == data.length || data[i] == '\n') {
        System.arraycopy(DATA, 0, out, at, DATA.length);
        at += DATA.length;
        System.arraycopy(data, lineStart, out, at, i - lineStart);
        at += i - lineStart;
        out[at++] = '\n';
        lineStart = i + 1;
      }
    }
    out[at] = '\n';
    return out;
  }

  private static byte[] concat(byte @Nullable [] first, byte[] second) {
    if (first == null) {
      return second;
    }
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }

  private JsonNode parse(SseReader.Event event) {
    try {
      return Json.parse(event.data());
    } catch (IOException e) {
      throw new UnreadableResponseException(call.source(), "a stream event is not JSON: "
          + event.text().substring(0, Math.min(200, event.text().length())), e);
    }
  }

  private @Nullable ChatChunk handle(SseReader.Event event) {
    if ("content_block_delta".equals(event.name())) {
      Delta delta = delta(event.data());
      if (delta != null) {
        return blockDelta(delta.index(), delta.type(), delta.text(), delta.partialJson());
      }
    }
    JsonNode data;
    try {
      data = Json.parse(event.data());
    } catch (IOException e) {
      // Skipping it could drop a piece of the answer without a trace; failing lets the router resume.
      throw new UnreadableResponseException(call.source(), "a stream event is not JSON: "
          + event.text().substring(0, Math.min(200, event.text().length())), e);
    }
    String name = event.name() != null ? event.name() : Json.text(data, "type");
    if (name == null) {
      return null;
    }
    return switch (name) {
      case "message_start" -> messageStart(data.path("message"));
      case "content_block_start" -> blockStart(data.path("index").asInt(-1), data.path("content_block"));
      case "content_block_delta" -> blockDelta(data.path("index").asInt(-1), data.path("delta"));
      case "message_delta" -> {
        String reason = Json.text(data.path("delta"), "stop_reason");
        if (reason != null) {
          stopReason = reason;
        }
        counts = counts.updatedBy(data.get("usage"));
        yield null;
      }
      case "message_stop" -> messageStop();
      case "error" -> throw UpstreamErrors.classify(call, 0, null, MessagesResponse.error(data), secret);
      default -> null; // ping, content_block_stop, and events added after this was written
    };
  }

  private ChatChunk messageStart(JsonNode message) {
    String messageId = Json.text(message, "id");
    if (messageId != null) {
      id = messageId;
    }
    String messageModel = Json.text(message, "model");
    if (messageModel != null) {
      model = messageModel;
    }
    counts = counts.updatedBy(message.get("usage"));
    return chunk(Role.ASSISTANT, null, List.of(), null);
  }

  private @Nullable ChatChunk blockStart(int index, JsonNode block) {
    String type = Json.text(block, "type");
    if ("text".equals(type)) {
      return text(block.path("text").asText(""));
    }
    if ("tool_use".equals(type)) {
      prefill.stop();
      int toolIndex = toolCalls.size();
      toolCalls.put(index, toolIndex);
      ToolCallDelta start = new ToolCallDelta(toolIndex, Json.text(block, "id"), Json.text(block, "name"), null);
      return chunk(null, null, List.of(start), null);
    }
    return quietProgress();
  }

  private @Nullable ChatChunk blockDelta(int index, JsonNode delta) {
    return blockDelta(index, Json.text(delta, "type"), delta.path("text").asText(""),
        delta.path("partial_json").asText(""));
  }

  /**
   * A {@code content_block_delta}, the event a stream is mostly made of, read in one pass over its bytes
   * without building a tree; null when it has a shape this pass does not expect, to be read as a tree.
   */
  private @Nullable Delta delta(byte[] data) {
    try (JsonParser p = Json.MAPPER.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      int index = -1;
      String type = null;
      String text = "";
      String partialJson = "";
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("index") && value == JsonToken.VALUE_NUMBER_INT) {
          index = p.getIntValue();
        } else if (field.equals("delta") && value == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String part = p.currentName();
            JsonToken partValue = p.nextToken();
            if (partValue != JsonToken.VALUE_STRING) {
              p.skipChildren();
            } else if (part.equals("type")) {
              type = p.getText();
            } else if (part.equals("text")) {
              text = p.getText();
            } else if (part.equals("partial_json")) {
              partialJson = p.getText();
            }
          }
        } else {
          p.skipChildren();
        }
      }
      return p.nextToken() == null ? new Delta(index, type, text, partialJson) : null;
    } catch (IOException e) {
      return null; // read again as a tree, which reports what is wrong with it
    }
  }

  private record Delta(int index, @Nullable String type, String text, String partialJson) {}

  private @Nullable ChatChunk blockDelta(int index, @Nullable String type, String text, String partialJson) {
    if ("text_delta".equals(type)) {
      return text(text);
    }
    if ("input_json_delta".equals(type)) {
      Integer toolIndex = toolCalls.get(index);
      String piece = partialJson;
      if (toolIndex == null) {
        throw new UnreadableResponseException(call.source(), "an input_json_delta for content block " + index
            + ", which did not start as a tool_use block");
      }
      if (piece.isEmpty()) {
        return quietProgress(); // the first piece is often empty
      }
      return chunk(null, null, List.of(new ToolCallDelta(toolIndex, null, null, piece)), null);
    }
    return quietProgress(); // thinking, signatures, citations: nothing the OpenAI shape carries
  }

  private @Nullable ChatChunk text(String text) {
    String kept = prefill.apply(text);
    if (kept.isEmpty()) {
      return quietProgress();
    }
    return chunk(null, kept, List.of(), null);
  }

  /**
   * An event that carries work but no chunk (thinking, an empty first delta): the model is busy, not
   * silent, so the idle limit restarts.
   */
  private @Nullable ChatChunk quietProgress() {
    stream.progress();
    return null;
  }

  private ChatChunk messageStop() {
    complete = true;
    FinishReason reason = MessagesResponse.finishReason(stopReason);
    if (reason == FinishReason.CONTENT_FILTER && !answered) {
      throw new ContentPolicyException(call.source(200, "refusal", null),
          "anthropic declined to answer (stop_reason refusal)");
    }
    queued.add(new ChatChunk(id, created, model, 0, null, null, List.of(), null, counts.toUsage(), null));
    return chunk(null, null, List.of(), reason == null ? FinishReason.STOP : reason);
  }

  private ChatChunk chunk(
      @Nullable Role role, @Nullable String content, List<ToolCallDelta> tools, @Nullable FinishReason finish) {
    answered |= (content != null && !content.isEmpty()) || !tools.isEmpty();
    return new ChatChunk(id, created, model, 0, role, content, tools, finish, null, null);
  }
}
