package dev.baton.provider.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.Role;
import dev.baton.ToolCall;
import dev.baton.Usage;
import dev.baton.provider.ErrorDetails;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiErrorReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads Anthropic's answers: a whole message, its stop reason and usage, and error bodies. A message
 * that is not the expected shape is an {@link IOException}, reported as an unreadable answer.
 */
final class MessagesResponse {

  private MessagesResponse() {}

  /**
   * A whole message in the OpenAI shape. Text blocks are joined; {@code tool_use} blocks become tool
   * calls with their input as JSON text; other blocks (thinking, server tools) have no OpenAI place.
   *
   * @param upstreamBody the message's own bytes, kept when it answered a request passed through; else null
   */
  static ChatResponse chat(JsonNode root, String requestedModel, LeadingWhitespace prefill, long created,
      byte @Nullable [] upstreamBody) throws IOException {
    JsonNode content = root.get("content");
    if (content == null || !content.isArray()) {
      throw new IOException("the answer has no 'content' array");
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode block : content) {
      switch (String.valueOf(Json.text(block, "type"))) {
        case "text" -> text.append(prefill.apply(block.path("text").asText("")));
        case "tool_use" -> {
          prefill.stop();
          toolCalls.add(new ToolCall(
              block.path("id").asText(""), block.path("name").asText(""), input(block.get("input"))));
        }
        default -> {
          // thinking, redacted_thinking, server_tool_use, ...: nothing the OpenAI shape can carry.
        }
      }
    }
    String body = text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString();
    Message message = new Message(Role.ASSISTANT, body, List.of(), null, toolCalls, null, Map.of());
    String model = Json.text(root, "model");
    String id = Json.text(root, "id");
    return new ChatResponse(id == null ? "" : id, created, model == null ? requestedModel : model,
        List.of(new Choice(0, message, finishReason(Json.text(root, "stop_reason")))),
        usage(root.get("usage")).toUsage(), upstreamBody);
  }

  /** The body is Anthropic's error object ({@code "type": "error"}) rather than a message. */
  static final class ErrorBodyException extends IOException {
    ErrorBodyException() {
      super("the body reports an error instead of a message");
    }
  }

  /**
   * A whole message that answered a request passed through, read in one pass over its bytes without
   * building a tree (the bytes themselves go back to the caller): what {@link #chat} reads, and the same
   * answer. A body that is not JSON throws Jackson's {@link JsonProcessingException}; Anthropic's error
   * object an {@link ErrorBodyException}; any other wrong shape an {@link IOException}.
   */
  static ChatResponse passedThrough(byte[] body, String requestedModel, long created) throws IOException {
    String id = null;
    String model = null;
    String type = null;
    String stopReason = null;
    boolean content = false;
    StringBuilder text = new StringBuilder();
    List<ToolCall> toolCalls = new ArrayList<>();
    Counts counts = Counts.NONE;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("the answer is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : id;
          case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : type;
          case "model" -> model = value == JsonToken.VALUE_STRING ? p.getText() : model;
          case "stop_reason" -> stopReason = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "usage" -> counts = counts.updatedBy(Json.valueAt(p));
          case "content" -> {
            content = value == JsonToken.START_ARRAY;
            while (content && p.nextToken() != JsonToken.END_ARRAY) {
              block(p, body, text, toolCalls);
            }
            if (!content) {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.nextToken() != null) {
        throw new IOException("unexpected content after the JSON object");
      }
    }
    if ("error".equals(type)) {
      throw new ErrorBodyException();
    }
    if (!content) {
      throw new IOException("the answer has no 'content' array");
    }
    String answer = text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString();
    Message message = new Message(Role.ASSISTANT, answer, List.of(), null, toolCalls, null, Map.of());
    return new ChatResponse(id == null ? "" : id, created, model == null ? requestedModel : model,
        List.of(new Choice(0, message, finishReason(stopReason))), counts.toUsage(), body);
  }

  /** One content block of a message, as {@link #chat} reads it: text joined, tool uses as calls, others skipped. */
  private static void block(JsonParser p, byte[] body, StringBuilder text, List<ToolCall> toolCalls)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String type = null;
    String blockText = null;
    String id = "";
    String name = "";
    String input = "{}";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING) {
        switch (field) {
          case "type" -> type = p.getText();
          case "text" -> blockText = p.getText();
          case "id" -> id = p.getText();
          case "name" -> name = p.getText();
          default -> {
            // signatures, citations' strings, ...
          }
        }
      } else if (value == JsonToken.START_OBJECT && field.equals("input")) {
        int from = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        input = new String(body, from, (int) p.currentLocation().getByteOffset() - from,
            java.nio.charset.StandardCharsets.UTF_8);
      } else {
        p.skipChildren();
      }
    }
    if ("text".equals(type) && blockText != null) {
      text.append(blockText);
    } else if ("tool_use".equals(type)) {
      toolCalls.add(new ToolCall(id, name, input));
    }
  }

  /** A tool call's input as the JSON text OpenAI's {@code arguments} carries. */
  static String input(@Nullable JsonNode input) {
    if (input == null || input.isNull() || input.isMissingNode()) {
      return "{}";
    }
    try {
      return Json.MAPPER.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /**
   * Anthropic's stop reason as OpenAI's finish reason: a natural end, a stop sequence or a paused server
   * tool loop is a stop; the token limit or the context window filling up is length; a refusal by the
   * safety classifiers is a content filter. Unknown reasons count as a stop; a missing one is null.
   */
  static @Nullable FinishReason finishReason(@Nullable String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  /**
   * Token counts as Anthropic reports them. Its {@code input_tokens} leaves out tokens read from or
   * written to the prompt cache; OpenAI's prompt tokens include every input token.
   */
  record Counts(int input, int cacheRead, int cacheWrite, int output) {

    static final Counts NONE = new Counts(0, 0, 0, 0);

    /** These counts with every field the given usage object carries replaced by its value. */
    Counts updatedBy(@Nullable JsonNode usage) {
      if (usage == null || !usage.isObject()) {
        return this;
      }
      return new Counts(
          count(usage, "input_tokens", input),
          count(usage, "cache_read_input_tokens", cacheRead),
          count(usage, "cache_creation_input_tokens", cacheWrite),
          count(usage, "output_tokens", output));
    }

    Usage toUsage() {
      return new Usage(input + cacheRead + cacheWrite, output, cacheRead, cacheWrite);
    }

    private static int count(JsonNode usage, String field, int otherwise) {
      JsonNode value = usage.get(field);
      return value != null && value.isNumber() ? value.intValue() : otherwise;
    }
  }

  static Counts usage(@Nullable JsonNode usage) {
    return Counts.NONE.updatedBy(usage);
  }

  /**
   * What an error body said: {@code {"type":"error","error":{"type","message","details"?}}}. The
   * spend-limit code Anthropic puts in {@code error.details.error_code} comes first, being the most
   * specific. Vertex AI answers for Claude in Google's shape ({@code {"error":{"code","message","status"}}})
   * when its own front refuses (quota, permission), wrapped in an array, so a {@code status} is read too.
   * Bodies of another shape (a proxy's HTML page) are read as OpenAI-style or plain text.
   */
  static ErrorDetails error(byte[] body, int status) {
    ErrorDetails details;
    try {
      details = error(Json.parse(body));
    } catch (IOException e) {
      details = new ErrorDetails(OpenAiErrorReader.plainText(body), List.of());
    }
    if (status == 413 && details.codes().isEmpty()) {
      // Cloudflare answers an oversized body before the API does, not always in Anthropic's shape.
      return new ErrorDetails(details.message(), List.of("request_too_large"));
    }
    return details;
  }

  static ErrorDetails error(JsonNode body) {
    // Vertex AI wraps its own errors in a one-element array.
    JsonNode root = body.isArray() && !body.isEmpty() ? body.get(0) : body;
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      List<String> codes = new ArrayList<>(3);
      codes.add(Json.text(error.path("details"), "error_code"));
      codes.add(Json.text(error, "type"));
      codes.add(Json.text(error, "status"));
      return new ErrorDetails(Json.text(error, "message"), codes);
    }
    return OpenAiErrorReader.read(root);
  }
}
