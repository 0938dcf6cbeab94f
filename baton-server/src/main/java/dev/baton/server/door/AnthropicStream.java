package dev.baton.server.door;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.BatonException;
import dev.baton.ChatChunk;
import dev.baton.ChatStream;
import dev.baton.FinishReason;
import dev.baton.ToolCallDelta;
import dev.baton.Usage;
import dev.baton.provider.MessagesBody;
import dev.baton.server.pipeline.Exchange;
import dev.baton.wire.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A streamed answer as Anthropic's server-sent events: {@code message_start}, then each content block's
 * {@code content_block_start}, deltas ({@code text_delta}, {@code input_json_delta}) and
 * {@code content_block_stop}, then {@code message_delta} with the stop reason and usage, and
 * {@code message_stop}; one {@code ping} after the first block starts, where Anthropic sends it.
 *
 * <p>An Anthropic deployment's events pass through as they came (the chunks carry them, see
 * {@link MessagesBody#isEvents}); the writer only follows which block is open. Chunks of any other provider
 * are written as events. So when a passed-through stream breaks and a fallback continues it, the
 * continuation reaches the caller as more {@code text_delta}s of the block that was open, and the end is
 * written here. An answer that breaks and cannot be completed ends with {@code event: error}, never with
 * {@code message_stop}; a caller that goes away closes the upstream connection.
 */
final class AnthropicStream {

  private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n".getBytes(StandardCharsets.US_ASCII);

  private final OutputStream out;
  private final long estimatedInput;
  private boolean started;
  private boolean ended;
  private boolean pinged;
  /** The content block open now, or -1; and whether it is a text block. */
  private int open = -1;
  private boolean openIsText;
  private int nextIndex;
  /** Which block each tool call of a translated answer went to, by the call's index. */
  private final Map<Integer, Integer> toolBlocks = new HashMap<>(4);
  private @Nullable FinishReason finish;
  private boolean calledTools;
  private long textCharacters;

  private AnthropicStream(OutputStream out, long estimatedInput) {
    this.out = out;
    this.estimatedInput = estimatedInput;
  }

  /**
   * Writes the whole stream and records how it ended on the exchange; returns when it is over.
   *
   * @param estimatedInput the request's input tokens as Baton estimates them, for providers that report none
   */
  static void write(Exchange exchange, ChatStream stream, long estimatedInput) {
    StringBuilder text = exchange.keepsContent() ? new StringBuilder() : null;
    try (stream; OutputStream out = Answers.startStream(exchange, stream)) {
      AnthropicStream events = new AnthropicStream(out, estimatedInput);
      try {
        for (ChatChunk chunk : stream) {
          if (text != null) {
            text.append(chunk.text());
          }
          events.chunk(chunk);
          out.flush();
        }
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        events.end(stream.usage());
        out.flush();
      } catch (BatonException e) {
        exchange.failed(e);
        exchange.answered(stream.model(), stream.attempts(), stream.usage());
        events.event("error", AnthropicErrors.body(e.status(), AnthropicErrors.message(e)));
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // The caller went away; closing the stream above has already closed the upstream connection.
      exchange.clientGone();
    }
    if (text != null) {
      exchange.answerContent(text.toString());
    }
  }

  private void chunk(ChatChunk chunk) throws IOException {
    byte[] upstream = chunk.upstreamBody();
    if (MessagesBody.isEvents(upstream)) {
      follow(upstream);
      out.write(upstream);
      return;
    }
    if (ended) {
      return; // the usage a passed-through stream reported after its message_stop
    }
    if (!started) {
      start(chunk);
    }
    String text = chunk.content();
    if (text != null && !text.isEmpty()) {
      text(text);
    }
    for (ToolCallDelta call : chunk.toolCalls()) {
      tool(call);
    }
    if (chunk.finishReason() != null) {
      finish = chunk.finishReason();
    }
  }

  /** Follows passed-through events: which block is open, and whether the message has ended. */
  private void follow(byte[] frames) throws IOException {
    int at = 0;
    while (at < frames.length) {
      int end = blankLine(frames, at);
      int lineEnd = indexOf(frames, (byte) '\n', at);
      if (lineEnd < 0 || lineEnd > end) {
        lineEnd = end;
      }
      if (isEvent(frames, at, lineEnd, "content_block_start")) {
        JsonNode data = Json.parse(dataOf(frames, lineEnd, end));
        open = data.path("index").asInt(nextIndex);
        openIsText = "text".equals(Json.text(data.path("content_block"), "type"));
        nextIndex = open + 1;
        pinged = true; // the upstream sends its own
      } else if (isEvent(frames, at, lineEnd, "content_block_stop")) {
        open = -1;
      } else if (isEvent(frames, at, lineEnd, "message_start")) {
        started = true;
      } else if (isEvent(frames, at, lineEnd, "message_stop")) {
        ended = true;
      }
      at = end + 2;
    }
  }

  private void start(ChatChunk first) throws IOException {
    started = true;
    event("message_start", Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", "message_start");
      gen.writeObjectFieldStart("message");
      gen.writeStringField("id", MessagesWriter.messageId(first.id()));
      gen.writeStringField("type", "message");
      gen.writeStringField("role", "assistant");
      gen.writeStringField("model", first.upstreamModel());
      gen.writeArrayFieldStart("content");
      gen.writeEndArray();
      gen.writeNullField("stop_reason");
      gen.writeNullField("stop_sequence");
      gen.writeFieldName("usage");
      MessagesWriter.usage(gen, new Usage((int) estimatedInput, 0, 0, 0), true);
      gen.writeEndObject();
      gen.writeEndObject();
    }));
  }

  private void text(String text) throws IOException {
    if (open < 0 || !openIsText) {
      closeOpen();
      startBlock(true, gen -> {
        gen.writeStringField("type", "text");
        gen.writeStringField("text", "");
      });
    }
    textCharacters += text.length();
    delta(open, "text_delta", "text", text);
  }

  private void tool(ToolCallDelta call) throws IOException {
    calledTools = true;
    Integer block = toolBlocks.get(call.index());
    if (block == null) {
      closeOpen();
      startBlock(false, gen -> {
        gen.writeStringField("type", "tool_use");
        gen.writeStringField("id", MessagesWriter.toolUseId(call.id() == null ? "" : call.id()));
        gen.writeStringField("name", call.name() == null ? "" : call.name());
        gen.writeObjectFieldStart("input");
        gen.writeEndObject();
      });
      block = open;
      toolBlocks.put(call.index(), block);
    }
    String arguments = call.arguments();
    if (arguments != null && !arguments.isEmpty()) {
      delta(block, "input_json_delta", "partial_json", arguments);
    }
  }

  /** A {@code content_block_delta} of one piece: {@code text} of a text block, {@code partial_json} of a tool's input. */
  private void delta(int index, String type, String field, String piece) throws IOException {
    event("content_block_delta", Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", "content_block_delta");
      gen.writeNumberField("index", index);
      gen.writeObjectFieldStart("delta");
      gen.writeStringField("type", type);
      gen.writeStringField(field, piece);
      gen.writeEndObject();
      gen.writeEndObject();
    }));
  }

  private void startBlock(boolean text, Json.Writer contentBlock) throws IOException {
    int index = nextIndex++;
    open = index;
    openIsText = text;
    event("content_block_start", Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", "content_block_start");
      gen.writeNumberField("index", index);
      gen.writeObjectFieldStart("content_block");
      contentBlock.write(gen);
      gen.writeEndObject();
      gen.writeEndObject();
    }));
    if (!pinged) {
      pinged = true;
      out.write(PING);
    }
  }

  private void closeOpen() throws IOException {
    if (open < 0) {
      return;
    }
    int index = open;
    open = -1;
    event("content_block_stop", Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", "content_block_stop");
      gen.writeNumberField("index", index);
      gen.writeEndObject();
    }));
  }

  /** Ends the message, unless the passed-through events already did. */
  private void end(@Nullable Usage reported) throws IOException {
    if (ended) {
      return;
    }
    if (!started) {
      start(new ChatChunk("", 0, "", 0, null, null, java.util.List.of(), null, null, null));
    }
    closeOpen();
    Usage usage = reported == null || reported.totalTokens() == 0
        ? new Usage((int) estimatedInput, (int) ((textCharacters + 3) / 4), 0, 0)
        : reported;
    String stopReason = MessagesWriter.stopReason(finish, calledTools);
    event("message_delta", Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("type", "message_delta");
      gen.writeObjectFieldStart("delta");
      gen.writeStringField("stop_reason", stopReason);
      gen.writeNullField("stop_sequence");
      gen.writeEndObject();
      gen.writeFieldName("usage");
      MessagesWriter.usage(gen, usage, true);
      gen.writeEndObject();
    }));
    event("message_stop", "{\"type\":\"message_stop\"}".getBytes(StandardCharsets.US_ASCII));
    ended = true;
  }

  private void event(String name, byte[] json) throws IOException {
    out.write(EVENT);
    out.write(name.getBytes(StandardCharsets.US_ASCII));
    out.write(DATA);
    out.write(json);
    out.write(EVENT_END);
  }

  /** The data of one frame (its {@code data:} lines joined), between its event line and its end. */
  private static byte[] dataOf(byte[] frames, int from, int to) {
    StringBuilder data = new StringBuilder();
    for (String line : new String(frames, from, to - from, StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n');
        }
        data.append(line.startsWith("data: ") ? line.substring(6) : line.substring(5));
      }
    }
    return data.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Where the frame starting at {@code from} ends: its closing blank line, or the end of the bytes. */
  private static int blankLine(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the line {@code [from, to)} is {@code event: <name>}. */
  private static boolean isEvent(byte[] bytes, int from, int to, String name) {
    int nameStart = from + EVENT.length;
    if (to - nameStart != name.length()) {
      return false;
    }
    for (int i = 0; i < EVENT.length; i++) {
      if (bytes[from + i] != EVENT[i]) {
        return false;
      }
    }
    for (int i = 0; i < name.length(); i++) {
      if (bytes[nameStart + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
