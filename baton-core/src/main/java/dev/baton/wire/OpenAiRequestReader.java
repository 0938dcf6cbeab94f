package dev.baton.wire;

import static dev.baton.wire.RequestErrors.invalidType;
import static dev.baton.wire.RequestErrors.kind;
import static dev.baton.wire.RequestErrors.missing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatRequest;
import dev.baton.CompletionRequest;
import dev.baton.ContentPart;
import dev.baton.EmbeddingRequest;
import dev.baton.InvalidRequestException;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Role;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads requests in OpenAI's format and checks them, so a malformed request is a 400 that names the
 * parameter at fault before any upstream is called. Fields it does not model are kept as they are.
 *
 * <p>It reads the body in one pass with Jackson's streaming parser, building the typed request directly:
 * the hot fields (messages, tools, scalars) never become a tree. Small or rare values (a content part, a
 * tool call, {@code tool_choice}, unknown fields) are read as trees, where the tree is what the typed
 * request keeps anyway.
 */
public final class OpenAiRequestReader {

  private OpenAiRequestReader() {}

  /** Reads a {@code /v1/chat/completions} body. */
  public static WireRequest<ChatRequest> chat(byte[] body) {
    return read(body, (p, fields) -> {
      ChatRequest.Builder b = ChatRequest.builder();
      boolean stream = false;
      boolean model = false;
      boolean messages = false;
      while (fields.next()) {
        String name = fields.name();
        switch (name) {
          case "model" -> {
            b.model(requiredString(p, name));
            model = true;
          }
          case "messages" -> {
            b.messages(messages(p));
            messages = true;
          }
          case "stream" -> stream = p.currentToken() != JsonToken.VALUE_NULL && bool(p, name);
          case "stream_options" -> b.includeUsage(includeUsage(tree(p)));
          case "temperature" -> b.temperature(number(p, name));
          case "top_p" -> b.topP(number(p, name));
          case "presence_penalty" -> b.presencePenalty(number(p, name));
          case "frequency_penalty" -> b.frequencyPenalty(number(p, name));
          case "max_tokens" -> b.maxTokens(integer(p, name));
          case "max_completion_tokens" -> b.maxCompletionTokens(integer(p, name));
          case "n" -> b.n(integer(p, name));
          case "seed" -> b.seed(longInteger(p, name));
          case "stop" -> b.stop(stop(p));
          case "user" -> b.endUser(optionalString(p, name));
          case "tools" -> b.tools(tools(p, fields.body()));
          case "tool_choice" -> b.toolChoice(toolChoice(tree(p)));
          case "parallel_tool_calls" -> b.parallelToolCalls(
              p.currentToken() == JsonToken.VALUE_NULL ? null : bool(p, name));
          case "response_format" -> b.responseFormat(responseFormat(tree(p)));
          case "fallbacks" -> b.fallbacks(strings(p, name));
          default -> b.extra(name, tree(p));
        }
      }
      require(model, "model");
      require(messages, "messages");
      return new WireRequest<>(b.source(fields.raw()).build(), stream);
    });
  }

  /** Reads a {@code /v1/completions} body. */
  public static WireRequest<CompletionRequest> completion(byte[] body) {
    return read(body, (p, fields) -> {
      CompletionRequest.Builder b = CompletionRequest.builder();
      boolean stream = false;
      boolean model = false;
      boolean prompt = false;
      while (fields.next()) {
        String name = fields.name();
        switch (name) {
          case "model" -> {
            b.model(requiredString(p, name));
            model = true;
          }
          case "prompt" -> {
            if (p.currentToken() != JsonToken.VALUE_NULL) {
              b.prompts(stringOrStrings(p, name));
              prompt = true;
            }
          }
          case "stream" -> stream = p.currentToken() != JsonToken.VALUE_NULL && bool(p, name);
          case "stream_options" -> b.includeUsage(includeUsage(tree(p)));
          case "max_tokens" -> b.maxTokens(integer(p, name));
          case "temperature" -> b.temperature(number(p, name));
          case "top_p" -> b.topP(number(p, name));
          case "stop" -> b.stop(stop(p));
          case "seed" -> b.seed(longInteger(p, name));
          case "suffix" -> b.suffix(optionalString(p, name));
          case "fallbacks" -> b.fallbacks(strings(p, name));
          default -> b.extra(name, tree(p));
        }
      }
      require(model, "model");
      require(prompt, "prompt");
      return new WireRequest<>(b.source(fields.raw()).build(), stream);
    });
  }

  /** Reads a {@code /v1/embeddings} body; {@code encoding_format} must be {@code float} or {@code base64}. */
  public static WireRequest<EmbeddingRequest> embedding(byte[] body) {
    return read(body, (p, fields) -> {
      String model = null;
      List<String> inputs = null;
      Integer dimensions = null;
      String user = null;
      List<String> fallbacks = null;
      Map<String, Object> extra = new LinkedHashMap<>();
      while (fields.next()) {
        String name = fields.name();
        switch (name) {
          case "model" -> model = requiredString(p, name);
          case "input" -> inputs = p.currentToken() == JsonToken.VALUE_NULL ? null : stringOrStrings(p, name);
          case "dimensions" -> dimensions = integer(p, name);
          case "user" -> user = optionalString(p, name);
          case "fallbacks" -> fallbacks = strings(p, name);
          case "encoding_format" -> {
            JsonNode v = tree(p);
            if (!v.isNull() && !v.isTextual()) {
              throw invalidType(name, "a string", v);
            }
            String format = v.textValue();
            if (format != null && !format.equals("float") && !format.equals("base64")) {
              throw new InvalidRequestException(name, "'encoding_format' must be 'float' or 'base64', was '" + format + "'");
            }
            extra.put(name, v);
          }
          default -> extra.put(name, tree(p));
        }
      }
      require(model != null, "model");
      require(inputs != null, "input");
      if (inputs.isEmpty()) {
        throw new InvalidRequestException("input", "'input' must not be empty");
      }
      return new WireRequest<>(
          new EmbeddingRequest(model, inputs, dimensions, user, fallbacks, extra, fields.raw()), false);
    });
  }

  /** Whether an embeddings caller asked for base64 vectors; OpenAI's default is {@code float}. */
  public static boolean wantsBase64(EmbeddingRequest request) {
    return "base64".equals(Json.textOf(request.extra().get("encoding_format")));
  }

  /** Reads the top-level object's fields one by one; the parser stands on the current field's value. */
  private interface ObjectReading<T> {
    T read(JsonParser parser, RawFields fields) throws IOException;
  }

  /**
   * Parses the body, which must be one JSON object. A body that is not valid JSON is reported as such
   * even when a field before the fault was also wrong: a truncated or garbled body is the real problem.
   */
  private static <T> T read(byte[] body, ObjectReading<T> reading) {
    if (body.length == 0) {
      throw new InvalidRequestException(null, "The request body is empty; it must be a JSON object");
    }
    try (JsonParser parser = Json.MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new IOException("empty body");
      }
      if (first != JsonToken.START_OBJECT) {
        parser.skipChildren();
        ensureEnd(parser);
        throw new InvalidRequestException(null, "The request body must be a JSON object, was " + kind(first));
      }
      T read;
      try {
        read = reading.read(parser, new RawFields(parser, body));
      } catch (InvalidRequestException e) {
        ensureValidJson(body);
        throw e;
      }
      ensureEnd(parser);
      return read;
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  private static void ensureValidJson(byte[] body) {
    try (JsonParser parser = Json.MAPPER.createParser(body)) {
      parser.nextToken();
      parser.skipChildren();
      ensureEnd(parser);
    } catch (IOException e) {
      throw notJson(e);
    }
  }

  private static InvalidRequestException notJson(IOException e) {
    return RequestErrors.notJson(e.getMessage());
  }

  /** The value the parser stands on as a tree, for values kept as trees or too small to matter. */
  private static JsonNode tree(JsonParser parser) throws IOException {
    return Json.valueAt(parser);
  }

  /** "{} trailing garbage" is not a JSON object; a lenient reading would quietly drop the tail. */
  private static void ensureEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != null) {
      throw new IOException("unexpected content after the JSON value");
    }
  }

  /** The JSON text of the value the parser stands on, as the caller wrote it, without building it. */
  private static String rawText(JsonParser parser, byte[] body) throws IOException {
    int from = (int) parser.currentTokenLocation().getByteOffset();
    parser.skipChildren();
    int to = (int) parser.currentLocation().getByteOffset();
    return new String(body, from, to - from, StandardCharsets.UTF_8);
  }

  private static void require(boolean present, String field) {
    if (!present) {
      throw missing(field);
    }
  }

  private static List<Message> messages(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw invalidType("messages", "an array", p.currentToken());
    }
    List<Message> messages = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      messages.add(message(p, messages.size()));
    }
    if (messages.isEmpty()) {
      throw new InvalidRequestException("messages", "'messages' must contain at least one message");
    }
    return messages;
  }

  /** Where message {@code index} is, for error messages only: built when one is thrown, not per message. */
  private static String messagePath(int index) {
    return "messages[" + index + "]";
  }

  private static Message message(JsonParser p, int index) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw invalidType(messagePath(index), "an object", p.currentToken());
    }
    Role role = null;
    String content = null;
    List<ContentPart> parts = List.of();
    String name = null;
    List<ToolCall> toolCalls = List.of();
    String toolCallId = null;
    Map<String, Object> extra = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "role" -> role = role(p, index);
        case "content" -> {
          if (value == JsonToken.VALUE_STRING) {
            content = p.getText();
          } else if (value == JsonToken.START_ARRAY) {
            parts = parts(tree(p), messagePath(index) + ".content");
          } else if (value != JsonToken.VALUE_NULL) {
            throw invalidType(messagePath(index) + ".content", "a string, an array of parts or null", value);
          }
        }
        case "name" -> name = value == JsonToken.VALUE_STRING ? p.getText()
            : optionalString(p, messagePath(index) + ".name");
        case "tool_calls" -> toolCalls = toolCalls(p, index);
        case "tool_call_id" -> toolCallId = value == JsonToken.VALUE_STRING ? p.getText()
            : optionalString(p, messagePath(index) + ".tool_call_id");
        default -> {
          if (extra.isEmpty()) {
            extra = new LinkedHashMap<>();
          }
          extra.put(field, tree(p));
        }
      }
    }
    if (role == null) {
      throw missingRole(messagePath(index));
    }
    if (content == null && parts.isEmpty() && toolCalls.isEmpty() && role != Role.ASSISTANT) {
      String path = messagePath(index);
      throw new InvalidRequestException(path + ".content", "Missing '" + path + ".content'");
    }
    return new Message(role, content, parts, name, toolCalls, toolCallId, extra);
  }

  private static Role role(JsonParser p, int index) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw missingRole(messagePath(index));
    }
    Role role = Role.fromWire(p.getText());
    if (role == null) {
      String path = messagePath(index);
      throw new InvalidRequestException(path + ".role", "Invalid value for '" + path + ".role': '"
          + p.getText() + "'; expected one of system, developer, user, assistant, tool, function");
    }
    return role;
  }

  private static InvalidRequestException missingRole(String path) {
    return new InvalidRequestException(path + ".role", "Missing or invalid '" + path + ".role': expected a string");
  }

  private static List<ContentPart> parts(JsonNode v, String path) {
    List<ContentPart> parts = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode part = v.get(i);
      String at = path + "[" + i + "]";
      if (!part.isObject() || !part.path("type").isTextual()) {
        throw new InvalidRequestException(at, "Invalid '" + at + "': a content part is an object with a 'type'");
      }
      String type = part.get("type").textValue();
      switch (type) {
        case "text" -> parts.add(new ContentPart.Text(RequestValues.requiredString(part.get("text"), at + ".text")));
        case "image_url" -> {
          JsonNode image = part.get("image_url");
          if (image != null && image.isTextual()) {
            parts.add(new ContentPart.Image(image.textValue(), null));
          } else if (image != null && image.isObject()) {
            parts.add(new ContentPart.Image(
                RequestValues.requiredString(image.get("url"), at + ".image_url.url"), Json.text(image, "detail")));
          } else {
            throw invalidType(at + ".image_url", "an object with a 'url'", image);
          }
        }
        default -> {
          Map<String, Object> fields = new LinkedHashMap<>();
          part.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
          parts.add(new ContentPart.Other(type, fields));
        }
      }
    }
    return parts;
  }

  /**
   * An assistant message's tool calls, read straight from the parser. Ids and arguments of other types
   * come out as a JSON tree gives them ({@code 5} is "5", an arguments object its compact JSON), and of
   * a repeated field the last one counts, as in a tree.
   */
  private static List<ToolCall> toolCalls(JsonParser p, int message) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (token != JsonToken.START_ARRAY) {
      throw invalidType(messagePath(message) + ".tool_calls", "an array", token);
    }
    List<ToolCall> calls = new ArrayList<>(2);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      calls.add(toolCall(p, message, calls.size()));
    }
    return calls;
  }

  private static String toolCallPath(int message, int call) {
    return messagePath(message) + ".tool_calls[" + call + "]";
  }

  private static ToolCall toolCall(JsonParser p, int message, int index) throws IOException {
    String id = "";
    boolean function = false;
    String name = null;
    String arguments = "{}";
    if (p.currentToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : treeText(p);
          case "function" -> {
            function = value == JsonToken.START_OBJECT;
            name = null;
            arguments = "{}";
            if (!function) {
              p.skipChildren();
            }
            while (function && p.nextToken() == JsonToken.FIELD_NAME) {
              String part = p.currentName();
              JsonToken partValue = p.nextToken();
              switch (part) {
                case "name" -> name = partValue == JsonToken.VALUE_STRING && p.getTextLength() > 0 ? p.getText()
                    : requiredString(p, toolCallPath(message, index) + ".function.name");
                case "arguments" -> arguments = switch (partValue) {
                  case VALUE_STRING -> p.getText();
                  case VALUE_NULL -> "{}";
                  default -> tree(p).toString();
                };
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } else {
      p.skipChildren();
    }
    if (!function) {
      String at = toolCallPath(message, index);
      throw new InvalidRequestException(at, "Invalid '" + at + "': a tool call needs a 'function' object");
    }
    if (name == null) {
      throw missing(toolCallPath(message, index) + ".function.name");
    }
    return new ToolCall(id, name, arguments);
  }

  /** A value as {@link JsonNode#asText(String)} with "" gives it, for the rare id that is not a string. */
  private static String treeText(JsonParser p) throws IOException {
    return tree(p).asText("");
  }

  private static List<Tool> tools(JsonParser p, byte[] body) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (token != JsonToken.START_ARRAY) {
      throw invalidType("tools", "an array", token);
    }
    List<Tool> tools = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      Tool tool = null;
      if (p.currentToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("function") && p.currentToken() == JsonToken.START_OBJECT) {
            tool = function(p, body, tools.size());
          } else {
            p.skipChildren();
          }
        }
      }
      if (tool == null) {
        String at = toolPath(tools.size());
        throw new InvalidRequestException(at, "Invalid '" + at + "': a tool needs a 'function' object");
      }
      tools.add(tool);
    }
    return tools;
  }

  /** Where tool {@code index} is, for error messages only. */
  private static String toolPath(int index) {
    return "tools[" + index + "]";
  }

  /** A tool's {@code function}; its JSON schema is kept as the caller wrote it, never rebuilt. */
  private static Tool function(JsonParser p, byte[] body, int index) throws IOException {
    String name = null;
    String description = null;
    String parameters = null;
    Boolean strict = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "name" -> name = value == JsonToken.VALUE_STRING && p.getTextLength() > 0 ? p.getText()
            : requiredString(p, toolPath(index) + ".function.name");
        case "description" -> description = value == JsonToken.VALUE_STRING ? p.getText() : null;
        case "parameters" -> parameters = value == JsonToken.VALUE_NULL ? null : rawText(p, body);
        case "strict" -> strict = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
        default -> p.skipChildren();
      }
    }
    if (name == null) {
      String at = toolPath(index) + ".function.name";
      throw missing(at);
    }
    return new Tool(name, description, parameters == null ? "{\"type\":\"object\",\"properties\":{}}" : parameters, strict);
  }

  private static @Nullable ToolChoice toolChoice(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return switch (v.textValue()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw new InvalidRequestException("tool_choice",
            "Invalid value for 'tool_choice': '" + v.textValue() + "'; expected auto, none, required or an object");
      };
    }
    String name = v.path("function").path("name").textValue();
    if (name == null) {
      throw new InvalidRequestException("tool_choice", "Invalid 'tool_choice': expected {\"type\":\"function\",\"function\":{\"name\":...}}");
    }
    return ToolChoice.function(name);
  }

  private static @Nullable ResponseFormat responseFormat(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    if (!v.isObject() || !v.path("type").isTextual()) {
      throw new InvalidRequestException("response_format", "Invalid 'response_format': expected an object with a 'type'");
    }
    String type = v.get("type").textValue();
    return switch (type) {
      case "text" -> ResponseFormat.text();
      case "json_object" -> ResponseFormat.jsonObject();
      case "json_schema" -> {
        JsonNode schema = v.path("json_schema");
        JsonNode strict = schema.get("strict");
        yield new ResponseFormat("json_schema", Json.text(schema, "name"),
            schema.has("schema") ? schema.get("schema").toString() : null,
            strict != null && strict.isBoolean() ? strict.booleanValue() : null);
      }
      default -> throw new InvalidRequestException("response_format.type",
          "Invalid value for 'response_format.type': '" + type + "'; expected text, json_object or json_schema");
    };
  }

  private static boolean includeUsage(JsonNode v) {
    if (v.isNull()) {
      return false;
    }
    if (!v.isObject()) {
      throw invalidType("stream_options", "an object", v);
    }
    JsonNode include = v.get("include_usage");
    return include != null && !include.isNull() && bool(include, "stream_options.include_usage");
  }

  private static List<String> stop(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return List.of();
    }
    return stringOrStrings(p, "stop");
  }

  private static List<String> stringOrStrings(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_STRING) {
      return List.of(p.getText());
    }
    if (token != JsonToken.START_ARRAY) {
      throw invalidType(name, "a string or an array of strings", token);
    }
    List<String> strings = new ArrayList<>();
    for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken()) {
      if (item != JsonToken.VALUE_STRING) {
        boolean tokens = tokens(name) && (item.isNumeric() || item == JsonToken.START_ARRAY);
        throw new InvalidRequestException(name, "Invalid type for '" + name + "[" + strings.size() + "]': expected a string, was "
            + kind(item) + (tokens ? " (token arrays are not supported)" : ""));
      }
      strings.add(p.getText());
    }
    return strings;
  }

  private static @Nullable List<String> strings(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.START_ARRAY) {
      throw invalidType(name, "an array of strings", token);
    }
    return stringOrStrings(p, name);
  }

  private static String requiredString(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      throw missing(name);
    }
    if (token != JsonToken.VALUE_STRING) {
      throw invalidType(name, "a string", token);
    }
    String text = p.getText();
    if (text.isEmpty()) {
      throw new InvalidRequestException(name, "'" + name + "' must not be empty");
    }
    return text;
  }

  /** Whether OpenAI also takes token ids for this field, which Baton does not. */
  private static boolean tokens(String name) {
    return name.equals("input") || name.equals("prompt");
  }

  private static @Nullable Long longInteger(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw invalidType(name, "an integer", token);
    }
    return p.getLongValue();
  }

  private static @Nullable String optionalString(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_STRING) {
      throw invalidType(name, "a string", token);
    }
    return p.getText();
  }

  private static boolean bool(JsonParser p, String name) {
    JsonToken token = p.currentToken();
    if (!token.isBoolean()) {
      throw invalidType(name, "a boolean", token);
    }
    return token == JsonToken.VALUE_TRUE;
  }

  private static boolean bool(JsonNode v, String name) {
    if (!v.isBoolean()) {
      throw invalidType(name, "a boolean", v);
    }
    return v.booleanValue();
  }

  private static @Nullable Double number(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (!token.isNumeric()) {
      throw invalidType(name, "a number", token);
    }
    return p.getDoubleValue();
  }

  private static @Nullable Integer integer(JsonParser p, String name) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
      throw invalidType(name, "an integer", token);
    }
    return p.getIntValue();
  }
}
