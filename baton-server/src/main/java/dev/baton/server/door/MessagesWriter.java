package dev.baton.server.door;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatResponse;
import dev.baton.FinishReason;
import dev.baton.ToolCall;
import dev.baton.Usage;
import dev.baton.wire.Json;
import java.io.IOException;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/**
 * Writes a translated answer as an Anthropic message ({@code type: "message"}): its text as one text
 * block, then a {@code tool_use} block per tool call, the stop reason and the usage. What the writing of a
 * whole message and of a stream share — ids, stop reasons, usage — lives here too.
 */
final class MessagesWriter {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private MessagesWriter() {}

  /**
   * A translated answer as a message.
   *
   * @param estimatedInput the request's input tokens as Baton estimates them, for a provider that reported none
   */
  static byte[] message(ChatResponse answer, long estimatedInput) {
    Usage usage = answer.usage().totalTokens() == 0
        ? new Usage((int) estimatedInput, (answer.text().length() + 3) / 4, 0, 0)
        : answer.usage();
    return Json.write(gen -> {
      gen.writeStartObject();
      gen.writeStringField("id", messageId(answer.id()));
      gen.writeStringField("type", "message");
      gen.writeStringField("role", "assistant");
      gen.writeStringField("model", answer.upstreamModel());
      gen.writeArrayFieldStart("content");
      String text = answer.text();
      if (!text.isEmpty()) {
        gen.writeStartObject();
        gen.writeStringField("type", "text");
        gen.writeStringField("text", text);
        gen.writeEndObject();
      }
      for (ToolCall call : answer.toolCalls()) {
        gen.writeStartObject();
        gen.writeStringField("type", "tool_use");
        gen.writeStringField("id", toolUseId(call.id()));
        gen.writeStringField("name", call.name());
        gen.writeFieldName("input");
        input(gen, call.arguments());
        gen.writeEndObject();
      }
      gen.writeEndArray();
      gen.writeStringField("stop_reason", stopReason(answer.finishReason(), !answer.toolCalls().isEmpty()));
      gen.writeNullField("stop_sequence");
      gen.writeFieldName("usage");
      usage(gen, usage, true);
      gen.writeEndObject();
    });
  }

  /**
   * Anthropic's stop reason for a finish reason: a natural end (or an unknown one) is {@code end_turn}, the
   * token limit {@code max_tokens}, tool calls {@code tool_use}, a provider's content filter
   * {@code refusal}. Other providers do not say whether a stop sequence ended the answer, so a translated
   * answer never reports {@code stop_sequence}.
   */
  static String stopReason(@Nullable FinishReason reason, boolean calledTools) {
    if (reason == null) {
      return calledTools ? "tool_use" : "end_turn";
    }
    return switch (reason) {
      case LENGTH -> "max_tokens";
      case TOOL_CALLS, FUNCTION_CALL -> "tool_use";
      case CONTENT_FILTER -> "refusal";
      case STOP -> calledTools ? "tool_use" : "end_turn";
    };
  }

  /**
   * Usage as Anthropic counts it: its {@code input_tokens} leaves out the tokens read from or written to
   * the prompt cache, which Baton's prompt tokens include.
   *
   * @param withInput whether to write the input counts (a stream's {@code message_delta} may leave them out)
   */
  static void usage(JsonGenerator gen, Usage usage, boolean withInput) throws IOException {
    gen.writeStartObject();
    if (withInput) {
      gen.writeNumberField("input_tokens", Math.max(0, usage.promptTokens() - usage.cachedTokens()
          - usage.cacheWriteTokens()));
      gen.writeNumberField("cache_creation_input_tokens", usage.cacheWriteTokens());
      gen.writeNumberField("cache_read_input_tokens", usage.cachedTokens());
    }
    gen.writeNumberField("output_tokens", usage.completionTokens());
    gen.writeEndObject();
  }

  /** A tool call's arguments as the {@code input} object Anthropic's clients expect; {@code {}} if they are none. */
  static void input(JsonGenerator gen, String arguments) throws IOException {
    JsonNode input = null;
    if (!arguments.isBlank()) {
      try {
        input = Json.MAPPER.readTree(arguments);
      } catch (IOException e) {
        input = null;
      }
    }
    if (input != null && input.isObject()) {
      gen.writeTree(input);
    } else {
      gen.writeStartObject();
      gen.writeEndObject();
    }
  }

  /** A message id in Anthropic's form: the upstream's when it is one, else {@code msg_} and the upstream's. */
  static String messageId(String upstreamId) {
    if (upstreamId.startsWith("msg_")) {
      return upstreamId;
    }
    return "msg_" + (upstreamId.isEmpty() ? random(24) : safe(upstreamId));
  }

  /**
   * A tool-use id Anthropic accepts when the conversation comes back to it ({@code [A-Za-z0-9_-]+}): the
   * upstream's, with other characters replaced, or a new one when the upstream gave none.
   */
  static String toolUseId(String upstreamId) {
    return upstreamId.isEmpty() ? "toolu_" + random(24) : safe(upstreamId);
  }

  private static String safe(String id) {
    StringBuilder out = null;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
      if (!ok && out == null) {
        out = new StringBuilder(id.substring(0, i));
      }
      if (out != null) {
        out.append(ok ? c : '_');
      }
    }
    return out == null ? id : out.toString();
  }

  private static String random(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }
}
