package dev.baton.server.door;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatRequest;
import dev.baton.ContentPart;
import dev.baton.InvalidRequestException;
import dev.baton.Message;
import dev.baton.Role;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import dev.baton.provider.MessagesBody;
import dev.baton.wire.Json;
import dev.baton.wire.RawObject;
import dev.baton.wire.WireRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads an Anthropic Messages body ({@code /v1/messages}, {@code /v1/messages/count_tokens}) and checks it,
 * so a malformed request is a 400 that names the field before any upstream is called. It gives two views
 * of one request: the caller's bytes ({@link MessagesBody}, for Anthropic deployments, which get them with
 * only {@code model} rewritten) and the router's {@link ChatRequest}, which every other provider translates.
 *
 * <p>The translation, field by field:
 *
 * <ul>
 *   <li>{@code system} (a string or text blocks) becomes system messages, one per block.
 *   <li>A user turn's {@code tool_result} blocks become tool messages, first, as OpenAI wants them right
 *       after the assistant turn that called; its text and images (and the images a tool returned, which a
 *       tool message cannot hold) follow as one user message. {@code is_error} results read
 *       {@code Error: ...}.
 *   <li>An assistant turn's text blocks are its content and its {@code tool_use} blocks its tool calls
 *       (the input object as the arguments' JSON text). Its {@code thinking} and {@code redacted_thinking}
 *       blocks, and the records of Anthropic's own server tools, are reasoning and results only Anthropic
 *       can read: the translation leaves them out.
 *   <li>Images: base64 sources become {@code data:} URLs, URL sources stay URLs. Plain-text documents
 *       become text.
 *   <li>{@code tools} with {@code input_schema} become function tools; {@code tool_choice} {@code auto},
 *       {@code any}, {@code tool} and {@code none} become {@code auto}, {@code required}, the named
 *       function and {@code none}; {@code disable_parallel_tool_use} turns parallel tool calls off.
 *   <li>{@code max_tokens}, {@code temperature}, {@code top_p} and {@code stop_sequences} carry over;
 *       {@code metadata.user_id} becomes the end-user id. {@code top_k}, {@code thinking},
 *       {@code service_tier}, {@code cache_control} marks and fields Baton does not know reach Anthropic
 *       deployments only: they tune how Anthropic answers, and no translation has a place for them.
 *   <li>What only Anthropic can run or read — server tools (web search, code execution, bash, text editor,
 *       computer use), {@code mcp_servers}, file and PDF sources, search results — cannot be translated: the
 *       request then goes to Anthropic deployments only, and a translating deployment refuses it naming the
 *       first such part ({@link MessagesBody#untranslatable()}).
 * </ul>
 */
final class MessagesReader {

  private final byte[] bytes;
  private final List<RawObject.Field> fields = new ArrayList<>();
  private @Nullable String untranslatable;

  private MessagesReader(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * Reads a {@code /v1/messages} body, or with {@code countTokens} a {@code count_tokens} body (which has no
   * {@code max_tokens} and no {@code stream}).
   *
   * @param version the caller's {@code anthropic-version} header, or null
   * @param beta the caller's {@code anthropic-beta} header, or null
   */
  static WireRequest<ChatRequest> read(byte[] body, boolean countTokens, @Nullable String version,
      @Nullable String beta) {
    return new MessagesReader(body).read(countTokens, version, beta);
  }

  private WireRequest<ChatRequest> read(boolean countTokens, @Nullable String version, @Nullable String beta) {
    if (bytes.length == 0) {
      throw new InvalidRequestException(null, "The request body is empty; it must be a JSON object");
    }
    ChatRequest.Builder b = ChatRequest.builder();
    boolean stream = false;
    boolean model = false;
    boolean maxTokens = false;
    JsonNode messages = null;
    JsonNode tools = null;
    JsonNode toolChoice = null;
    try (JsonParser p = Json.MAPPER.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRequestException(null, "The request body must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.nextToken();
        int valueStart = (int) p.currentTokenLocation().getByteOffset();
        JsonNode value = Json.valueAt(p);
        fields.add(new RawObject.Field(name, start, valueStart, (int) p.currentLocation().getByteOffset()));
        switch (name) {
          case "model" -> {
            b.model(requiredString(value, name));
            model = true;
          }
          case "max_tokens" -> {
            if (!countTokens) {
              b.maxTokens(positiveInteger(value, name));
              maxTokens = true;
            }
          }
          case "messages" -> messages = value;
          case "system" -> system(b, value);
          case "tools" -> tools = value;
          case "tool_choice" -> toolChoice = value;
          case "stop_sequences" -> b.stop(strings(value, name));
          case "temperature" -> b.temperature(number(value, name));
          case "top_p" -> b.topP(number(value, name));
          case "top_k" -> integer(value, name);
          case "metadata" -> b.endUser(userId(value));
          case "stream" -> stream = !countTokens && bool(value, name);
          case "fallbacks" -> b.fallbacks(value.isNull() ? null : strings(value, name));
          case "mcp_servers" -> {
            if (value.isArray() && !value.isEmpty()) {
              untranslatable("MCP servers (mcp_servers)");
            }
          }
          default -> {
            // thinking, service_tier, container, context_management and fields Baton does not know:
            // Anthropic deployments get them as they are; translations have no place for them.
          }
        }
      }
      if (p.nextToken() != null) {
        throw new IOException("unexpected content after the JSON object");
      }
    } catch (IOException e) {
      throw new InvalidRequestException(null, "The request body is not valid JSON: " + firstLine(e.getMessage()));
    }
    require(model, "model");
    require(countTokens || maxTokens, "max_tokens");
    require(messages != null, "messages");
    messages(b, messages);
    boolean hasTools = tools(b, tools);
    toolChoice(b, toolChoice, hasTools);
    RawObject raw = new RawObject(bytes, List.copyOf(fields));
    return new WireRequest<>(b.source(new MessagesBody(raw, version, beta, untranslatable)).build(), stream);
  }

  private void untranslatable(String what) {
    if (untranslatable == null) {
      untranslatable = what;
    }
  }

  // system

  private void system(ChatRequest.Builder b, JsonNode system) {
    if (system.isNull()) {
      return;
    }
    if (system.isTextual()) {
      if (!system.textValue().isBlank()) {
        b.system(system.textValue());
      }
      return;
    }
    if (!system.isArray()) {
      throw invalidType("system", "a string or an array of text blocks", system);
    }
    for (int i = 0; i < system.size(); i++) {
      String path = "system." + i;
      JsonNode block = block(system.get(i), path);
      if (!"text".equals(block.get("type").textValue())) {
        throw new InvalidRequestException(path + ".type", "'" + path + ".type' must be 'text': the system prompt"
            + " takes text blocks only");
      }
      String text = requiredText(block.get("text"), path + ".text");
      if (!text.isBlank()) {
        b.system(text);
      }
    }
  }

  // messages

  private void messages(ChatRequest.Builder b, JsonNode messages) {
    if (!messages.isArray()) {
      throw invalidType("messages", "an array", messages);
    }
    if (messages.isEmpty()) {
      throw new InvalidRequestException("messages", "'messages' must contain at least one message");
    }
    for (int i = 0; i < messages.size(); i++) {
      String path = "messages." + i;
      JsonNode message = messages.get(i);
      if (!message.isObject()) {
        throw invalidType(path, "an object", message);
      }
      String role = Json.text(message, "role");
      if (role == null) {
        throw missing(path + ".role");
      }
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        throw missing(path + ".content");
      }
      switch (role) {
        case "user" -> user(b, content, path + ".content");
        case "assistant" -> assistant(b, content, path + ".content");
        default -> throw new InvalidRequestException(path + ".role", "Invalid value for '" + path + ".role': '" + role
            + "'; expected 'user' or 'assistant' (the system prompt is the top-level 'system' field)");
      }
    }
  }

  private void user(ChatRequest.Builder b, JsonNode content, String path) {
    if (content.isTextual()) {
      b.message(Message.user(content.textValue()));
      return;
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ContentPart> toolImages = new ArrayList<>();
    int i = 0;
    for (JsonNode block : blocks(content, path)) {
      String at = path + "." + i++;
      switch (block.get("type").textValue()) {
        case "text" -> parts.add(ContentPart.text(requiredText(block.get("text"), at + ".text")));
        case "image" -> image(block, at, parts);
        case "document" -> document(block, at, parts);
        case "tool_result" -> b.message(toolResult(block, at, toolImages));
        default -> kept(block, "the '" + block.get("type").textValue() + "' block at " + at, parts);
      }
    }
    List<ContentPart> all = new ArrayList<>(toolImages);
    all.addAll(parts);
    if (all.size() == 1 && all.get(0) instanceof ContentPart.Text only) {
      b.message(Message.user(only.text()));
    } else if (!all.isEmpty()) {
      b.message(Message.user(all));
    }
  }

  private Message toolResult(JsonNode block, String at, List<ContentPart> images) {
    String id = requiredText(block.get("tool_use_id"), at + ".tool_use_id");
    JsonNode content = block.get("content");
    StringBuilder text = new StringBuilder();
    if (content != null && content.isTextual()) {
      text.append(content.textValue());
    } else if (content != null && !content.isNull()) {
      String path = at + ".content";
      List<ContentPart> parts = new ArrayList<>();
      int i = 0;
      for (JsonNode part : blocks(content, path)) {
        String partAt = path + "." + i++;
        switch (part.get("type").textValue()) {
          case "text" -> {
            if (!text.isEmpty()) {
              text.append("\n\n");
            }
            text.append(requiredText(part.get("text"), partAt + ".text"));
          }
          case "image" -> image(part, partAt, parts);
          case "document" -> document(part, partAt, parts);
          default -> kept(part, "the '" + part.get("type").textValue() + "' block at " + partAt, parts);
        }
      }
      for (ContentPart part : parts) {
        if (part instanceof ContentPart.Text t) {
          text.append(text.isEmpty() ? "" : "\n\n").append(t.text());
        } else {
          images.add(part);
        }
      }
    }
    JsonNode isError = block.get("is_error");
    if (isError != null && !isError.isNull() && !isError.isBoolean()) {
      throw invalidType(at + ".is_error", "a boolean", isError);
    }
    String result = text.toString();
    if (isError != null && isError.booleanValue()) {
      result = result.isEmpty() ? "Error" : "Error: " + result;
    }
    return Message.tool(id, result);
  }

  private void assistant(ChatRequest.Builder b, JsonNode content, String path) {
    if (content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        b.message(Message.assistant(content.textValue()));
      }
      return;
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    int i = 0;
    for (JsonNode block : blocks(content, path)) {
      String at = path + "." + i++;
      switch (block.get("type").textValue()) {
        case "text" -> {
          String piece = requiredText(block.get("text"), at + ".text");
          if (!text.isEmpty() && !piece.isEmpty()) {
            text.append("\n\n");
          }
          text.append(piece);
        }
        case "tool_use" -> calls.add(toolUse(block, at));
        default -> {
          // thinking, redacted_thinking and Anthropic's server-tool records: only Anthropic reads them.
        }
      }
    }
    if (!calls.isEmpty()) {
      b.message(Message.assistant(text.isEmpty() ? null : text.toString(), calls));
    } else if (!text.isEmpty()) {
      b.message(Message.assistant(text.toString()));
    }
  }

  private static ToolCall toolUse(JsonNode block, String at) {
    String id = requiredText(block.get("id"), at + ".id");
    String name = requiredText(block.get("name"), at + ".name");
    JsonNode input = block.get("input");
    if (input == null || !input.isObject()) {
      throw invalidType(at + ".input", "an object", input);
    }
    return new ToolCall(id, name, input.toString());
  }

  private void image(JsonNode block, String at, List<ContentPart> parts) {
    JsonNode source = block.get("source");
    if (source == null || !source.isObject()) {
      throw invalidType(at + ".source", "an object", source);
    }
    String type = requiredText(source.get("type"), at + ".source.type");
    switch (type) {
      case "base64" -> parts.add(ContentPart.image("data:" + requiredText(source.get("media_type"),
          at + ".source.media_type") + ";base64," + requiredText(source.get("data"), at + ".source.data")));
      case "url" -> parts.add(ContentPart.image(requiredText(source.get("url"), at + ".source.url")));
      default -> kept(block, "the image source of type '" + type + "' at " + at, parts);
    }
  }

  private void document(JsonNode block, String at, List<ContentPart> parts) {
    JsonNode source = block.path("source");
    if ("text".equals(Json.text(source, "type")) && source.path("data").isTextual()) {
      parts.add(ContentPart.text(source.get("data").textValue()));
    } else {
      kept(block, "the document at " + at + " (only plain-text documents translate)", parts);
    }
  }

  /**
   * A block no translation carries, kept as it is so the request still weighs what it holds (its token
   * estimate) and still has its turn; a translating deployment refuses the request before sending it.
   */
  private void kept(JsonNode block, String what, List<ContentPart> parts) {
    untranslatable(what);
    java.util.Map<String, Object> fields = new java.util.LinkedHashMap<>();
    block.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    parts.add(new ContentPart.Other(block.path("type").asText(), fields));
  }

  /** A content array's blocks, each checked to be an object with a {@code type}. */
  private static List<JsonNode> blocks(JsonNode content, String path) {
    if (!content.isArray()) {
      throw invalidType(path, "a string or an array of content blocks", content);
    }
    List<JsonNode> blocks = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      blocks.add(block(content.get(i), path + "." + i));
    }
    return blocks;
  }

  private static JsonNode block(JsonNode block, String path) {
    if (!block.isObject() || !block.path("type").isTextual()) {
      throw new InvalidRequestException(path, "Invalid '" + path + "': a content block is an object with a 'type'");
    }
    return block;
  }

  // tools

  /** Adds the tools that translate; returns whether there are any. */
  private boolean tools(ChatRequest.Builder b, @Nullable JsonNode tools) {
    if (tools == null || tools.isNull()) {
      return false;
    }
    if (!tools.isArray()) {
      throw invalidType("tools", "an array", tools);
    }
    boolean any = false;
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools." + i;
      JsonNode tool = tools.get(i);
      if (!tool.isObject()) {
        throw invalidType(path, "an object", tool);
      }
      String name = requiredText(tool.get("name"), path + ".name");
      String type = Json.text(tool, "type");
      if (type != null && !type.equals("custom")) {
        untranslatable("Anthropic's tool '" + name + "' (" + type + ")");
        continue;
      }
      JsonNode schema = tool.get("input_schema");
      if (schema == null || !schema.isObject()) {
        throw invalidType(path + ".input_schema", "a JSON Schema object", schema);
      }
      JsonNode strict = tool.get("strict");
      b.tool(new Tool(name, Json.text(tool, "description"), schema.toString(),
          strict != null && strict.isBoolean() ? strict.booleanValue() : null));
      any = true;
    }
    return any;
  }

  private static void toolChoice(ChatRequest.Builder b, @Nullable JsonNode choice, boolean hasTools) {
    if (choice == null || choice.isNull()) {
      return;
    }
    if (!choice.isObject()) {
      throw invalidType("tool_choice", "an object", choice);
    }
    String type = requiredText(choice.get("type"), "tool_choice.type");
    ToolChoice mode = switch (type) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> ToolChoice.function(requiredText(choice.get("name"), "tool_choice.name"));
      default -> throw new InvalidRequestException("tool_choice.type", "Invalid value for 'tool_choice.type': '"
          + type + "'; expected auto, any, tool or none");
    };
    JsonNode disable = choice.get("disable_parallel_tool_use");
    if (disable != null && !disable.isNull() && !disable.isBoolean()) {
      throw invalidType("tool_choice.disable_parallel_tool_use", "a boolean", disable);
    }
    if (hasTools) {
      // OpenAI refuses a tool choice without tools; with none that translate, there is nothing to choose.
      b.toolChoice(mode);
      if (disable != null && disable.booleanValue() && mode != ToolChoice.NONE) {
        b.parallelToolCalls(false);
      }
    }
  }

  // scalars

  private static @Nullable String userId(JsonNode metadata) {
    if (metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject()) {
      throw invalidType("metadata", "an object", metadata);
    }
    JsonNode user = metadata.get("user_id");
    if (user == null || user.isNull()) {
      return null;
    }
    if (!user.isTextual()) {
      throw invalidType("metadata.user_id", "a string", user);
    }
    return user.textValue();
  }

  private static List<String> strings(JsonNode value, String name) {
    if (value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw invalidType(name, "an array of strings", value);
    }
    List<String> strings = new ArrayList<>(value.size());
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isTextual()) {
        throw invalidType(name + "." + i, "a string", value.get(i));
      }
      strings.add(value.get(i).textValue());
    }
    return strings;
  }

  private static String requiredString(JsonNode value, String name) {
    String text = requiredText(value, name);
    if (text.isEmpty()) {
      throw new InvalidRequestException(name, "'" + name + "' must not be empty");
    }
    return text;
  }

  private static String requiredText(@Nullable JsonNode value, String name) {
    if (value == null || value.isNull()) {
      throw missing(name);
    }
    if (!value.isTextual()) {
      throw invalidType(name, "a string", value);
    }
    return value.textValue();
  }

  private static int positiveInteger(JsonNode value, String name) {
    Integer n = integer(value, name);
    if (n == null) {
      throw missing(name);
    }
    if (n < 1) {
      throw new InvalidRequestException(name, "'" + name + "' must be at least 1, was " + n);
    }
    return n;
  }

  private static @Nullable Integer integer(JsonNode value, String name) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isInt()) {
      throw invalidType(name, "an integer", value);
    }
    return value.intValue();
  }

  private static @Nullable Double number(JsonNode value, String name) {
    if (value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw invalidType(name, "a number", value);
    }
    return value.doubleValue();
  }

  private static boolean bool(JsonNode value, String name) {
    if (value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw invalidType(name, "a boolean", value);
    }
    return value.booleanValue();
  }

  private static void require(boolean present, String field) {
    if (!present) {
      throw missing(field);
    }
  }

  private static InvalidRequestException missing(String field) {
    return new InvalidRequestException(field, "Missing required parameter: '" + field + "'");
  }

  private static InvalidRequestException invalidType(String name, String expected, @Nullable JsonNode actual) {
    return new InvalidRequestException(name, "Invalid type for '" + name + "': expected " + expected + ", but got "
        + (actual == null ? "nothing" : kind(actual)));
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "an unknown value";
    };
  }

  private static String firstLine(@Nullable String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
