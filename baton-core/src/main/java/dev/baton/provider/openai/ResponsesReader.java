package dev.baton.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatResponse;
import dev.baton.Choice;
import dev.baton.FinishReason;
import dev.baton.Message;
import dev.baton.ToolCall;
import dev.baton.Usage;
import dev.baton.provider.ErrorDetails;
import dev.baton.wire.Json;
import dev.baton.wire.NotJsonException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads what OpenAI's Responses API sends back — a Response object, or one event of its stream — into what
 * the router needs of it: the text, the function calls, why it ended and the usage. The bytes themselves
 * are passed on untouched by the caller; this only reads them, in one pass with Jackson's streaming parser.
 */
final class ResponsesReader {

  private ResponsesReader() {}

  /**
   * The body reports a failure rather than an answer: a Response with {@code status: "failed"}, or an
   * {@code error} object and no output. The provider classifies it as the error it reports.
   */
  static final class ErrorReport extends IOException {
    final ErrorDetails details;

    ErrorReport(ErrorDetails details) {
      super("the body reports an error instead of an answer");
      this.details = details;
    }
  }

  /** Reads a whole Response object; its bytes are kept as the answer's upstream body. */
  static ChatResponse response(byte[] body, String requestedModel) throws IOException {
    Answer answer = new Answer();
    try (JsonParser parser = Json.MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new NotJsonException("the body is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        parser.skipChildren();
        requireEnd(parser);
        throw new IOException("the answer is not a JSON object");
      }
      answer.read(parser);
      requireEnd(parser);
    } catch (JsonProcessingException e) {
      throw new NotJsonException(e);
    }
    if ("failed".equals(answer.status) || (answer.error != null && !answer.hasOutput)) {
      throw new ErrorReport(errorDetails(answer.error));
    }
    if (!answer.hasOutput || !"response".equals(answer.object)) {
      throw new IOException("the answer is not a Response object (no 'output', or 'object' is not \"response\")");
    }
    return answer.toChatResponse(body, requestedModel);
  }

  /**
   * One event of a Responses stream: its type and the few fields the router reads. Small values ({@code item},
   * {@code response}) are trees; the frequent deltas are read as they come.
   *
   * @param outputIndex the event's {@code output_index}, or -1
   */
  record Event(
      String type,
      @Nullable String delta,
      int outputIndex,
      @Nullable JsonNode item,
      @Nullable Answer response,
      @Nullable String code,
      @Nullable String message) {}

  /**
   * Reads one event's data.
   *
   * @param name the event's {@code event:} name, or null when the stream sends only {@code data:} lines
   */
  static Event event(@Nullable String name, byte[] data) throws IOException {
    String type = name;
    String delta = null;
    int outputIndex = -1;
    JsonNode item = null;
    Answer response = null;
    String code = null;
    String message = null;
    try (JsonParser parser = Json.MAPPER.createParser(data)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("an event's data is not a JSON object");
      }
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        switch (field) {
          case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : type;
          case "delta" -> delta = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "output_index" -> outputIndex = value == JsonToken.VALUE_NUMBER_INT ? parser.getIntValue() : -1;
          case "item" -> item = Json.valueAt(parser);
          case "response" -> {
            if (value == JsonToken.START_OBJECT) {
              response = new Answer();
              response.read(parser);
            } else {
              parser.skipChildren();
            }
          }
          case "code" -> code = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "message" -> message = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          default -> parser.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      throw new NotJsonException(e);
    }
    if (type == null) {
      throw new IOException("an event without a type");
    }
    return new Event(type, delta, outputIndex, item, response, code, message);
  }

  /** The usage of a Response object (a tree), or {@link Usage#NONE}. */
  static Usage usage(@Nullable JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return Usage.NONE;
    }
    return new Usage(Json.integer(usage, "input_tokens"), Json.integer(usage, "output_tokens"),
        Json.integer(usage.path("input_tokens_details"), "cached_tokens"), 0);
  }

  /** An {@code error} object ({@code {"code", "message"}}) as the classifier reads it. */
  static ErrorDetails errorDetails(@Nullable JsonNode error) {
    if (error == null || !error.isObject()) {
      return ErrorDetails.of("the upstream reported a failure without saying why");
    }
    return ErrorDetails.of(Json.text(error, "message"), Json.scalar(error, "code"), Json.text(error, "type"));
  }

  private static void requireEnd(JsonParser parser) throws IOException {
    JsonToken trailing = parser.nextToken();
    if (trailing != null) {
      throw new NotJsonException("something follows the JSON value: " + trailing);
    }
  }

  /** A Response object's fields, as they come: what the router reads of it. */
  static final class Answer {
    @Nullable String id;
    @Nullable String object;
    long createdAt;
    @Nullable String model;
    @Nullable String status;
    @Nullable JsonNode error;
    @Nullable String incompleteReason;
    boolean hasOutput;
    final StringBuilder text = new StringBuilder();
    boolean hasText;
    final List<ToolCall> calls = new ArrayList<>(0);
    Usage usage = Usage.NONE;

    /** Reads the object the parser stands on, to its end. */
    void read(JsonParser parser) throws IOException {
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        parser.nextToken();
        field(name, parser);
      }
    }

    @Nullable String id() {
      return id;
    }

    long createdAt() {
      return createdAt;
    }

    @Nullable String model() {
      return model;
    }

    @Nullable JsonNode error() {
      return error;
    }

    Usage usage() {
      return usage;
    }

    /**
     * Why the answer ended: {@code incomplete} for {@code max_output_tokens} is {@link FinishReason#LENGTH},
     * for {@code content_filter} {@link FinishReason#CONTENT_FILTER}; a complete one with function calls is
     * {@link FinishReason#TOOL_CALLS}, else {@link FinishReason#STOP}.
     */
    FinishReason finishReason() {
      if ("incomplete".equals(status)) {
        return "content_filter".equals(incompleteReason) ? FinishReason.CONTENT_FILTER : FinishReason.LENGTH;
      }
      return calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
    }

    private void field(String name, JsonParser parser) throws IOException {
      JsonToken token = parser.currentToken();
      switch (name) {
        case "id" -> id = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "object" -> object = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "created_at" -> createdAt = token.isNumeric() ? parser.getValueAsLong() : 0;
        case "model" -> model = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "status" -> status = token == JsonToken.VALUE_STRING ? parser.getText() : null;
        case "error" -> error = token == JsonToken.VALUE_NULL ? null : Json.valueAt(parser);
        case "incomplete_details" -> incompleteReason = token == JsonToken.START_OBJECT
            ? Json.text(Json.valueAt(parser), "reason") : skip(parser);
        case "usage" -> usage = token == JsonToken.START_OBJECT
            ? ResponsesReader.usage(Json.valueAt(parser)) : skipUsage(parser);
        case "output" -> {
          if (token != JsonToken.START_ARRAY) {
            throw new IOException("'output' is not an array");
          }
          hasOutput = true;
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            item(parser);
          }
        }
        default -> parser.skipChildren();
      }
    }

    /** One output item: a message's text parts, a function call; anything else (reasoning, ...) is skipped. */
    private void item(JsonParser parser) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        throw new IOException("an output item is not an object");
      }
      String type = null;
      String callId = null;
      String callName = null;
      String arguments = null;
      StringBuilder itemText = null;
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        switch (field) {
          case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "call_id" -> callId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "name" -> callName = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "arguments" -> arguments = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          case "content" -> {
            if (value != JsonToken.START_ARRAY) {
              parser.skipChildren();
              continue;
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
              String part = partText(parser);
              if (part != null) {
                itemText = itemText == null ? new StringBuilder(part) : itemText.append(part);
              }
            }
          }
          default -> parser.skipChildren();
        }
      }
      if ("message".equals(type) && itemText != null) {
        text.append(itemText);
        hasText = true;
      } else if ("function_call".equals(type)) {
        if (callName == null) {
          throw new IOException("a function_call item has no 'name'");
        }
        calls.add(new ToolCall(callId == null ? "" : callId, callName, arguments == null ? "{}" : arguments));
      }
    }

    /** The text of an {@code output_text} part; null for any other part (a refusal, say). */
    private static @Nullable String partText(JsonParser parser) throws IOException {
      if (parser.currentToken() != JsonToken.START_OBJECT) {
        parser.skipChildren();
        return null;
      }
      String type = null;
      String text = null;
      for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
        JsonToken value = parser.nextToken();
        if (field.equals("type") && value == JsonToken.VALUE_STRING) {
          type = parser.getText();
        } else if (field.equals("text") && value == JsonToken.VALUE_STRING) {
          text = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      return "output_text".equals(type) ? text : null;
    }

    private static @Nullable String skip(JsonParser parser) throws IOException {
      parser.skipChildren();
      return null;
    }

    private static Usage skipUsage(JsonParser parser) throws IOException {
      parser.skipChildren();
      return Usage.NONE;
    }

    ChatResponse toChatResponse(byte[] body, String requestedModel) {
      FinishReason finish = finishReason();
      String content = hasText ? text.toString() : null;
      Message message = calls.isEmpty() ? Message.assistant(content == null ? "" : content)
          : Message.assistant(content, calls);
      return new ChatResponse(id == null ? "" : id, createdAt, model == null ? requestedModel : model,
          List.of(new Choice(0, message, finish)), usage, body);
    }
  }
}
