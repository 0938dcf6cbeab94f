package dev.baton.server.door;

import static dev.baton.wire.RequestErrors.invalidType;
import static dev.baton.wire.RequestErrors.missing;
import static dev.baton.wire.RequestValues.bool;
import static dev.baton.wire.RequestValues.requiredString;
import static dev.baton.wire.RequestValues.requiredText;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.baton.wire.RequestErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    List<Turn> turns = null;
    List<Tool> tools = List.of();
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
        // The big fields are read as they stream by; the small ones as trees.
        switch (name) {
          case "messages" -> turns = turns(p);
          case "system" -> system(b, p);
          case "tools" -> tools = tools(p);
          default -> {
            JsonNode value = Json.valueAt(p);
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
              case "tool_choice" -> toolChoice = value;
              case "stop_sequences" -> b.stop(strings(value, name));
              case "temperature" -> b.temperature(number(value, name));
              case "top_p" -> b.topP(number(value, name));
              case "top_k" -> integer(value, name);
              case "metadata" -> b.endUser(userId(value));
              case "stream" -> stream = !countTokens && bool(value, name, false);
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
        }
        fields.add(new RawObject.Field(name, start, valueStart, (int) p.currentLocation().getByteOffset()));
      }
      if (p.nextToken() != null) {
        throw new IOException("unexpected content after the JSON object");
      }
    } catch (IOException e) {
      throw RequestErrors.notJson(e.getMessage());
    }
    require(model, "model");
    require(countTokens || maxTokens, "max_tokens");
    require(turns != null, "messages");
    for (int i = 0; i < turns.size(); i++) {
      Turn turn = turns.get(i);
      if (turn.role().equals("user")) {
        user(b, turn, i);
      } else {
        assistant(b, turn);
      }
    }
    b.tools(tools);
    toolChoice(b, toolChoice, !tools.isEmpty());
    RawObject raw = new RawObject(bytes, List.copyOf(fields));
    return new WireRequest<>(b.source(new MessagesBody(raw, version, beta, untranslatable)).build(), stream);
  }

  private void untranslatable(String what) {
    if (untranslatable == null) {
      untranslatable = what;
    }
  }

  // What a body holds, as read.

  /** A content block as read, before its message's role says what it means. */
  private sealed interface Block {}

  private record Text(String text) implements Block {}

  /** @param input the input object's JSON, as the caller wrote it */
  private record ToolUse(String id, String name, String input) implements Block {}

  /** Any other block, whole: images, documents, tool results, thinking, server-tool records. */
  private record Other(String type, ObjectNode block) implements Block {}

  /** One message: its role, and its content as a string or as blocks. */
  private record Turn(String role, @Nullable String text, List<Block> blocks) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private List<Turn> turns(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw invalidType("messages", "an array", p.currentToken());
    }
    List<Turn> turns = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      turns.add(turn(p, turns.size()));
    }
    if (turns.isEmpty()) {
      throw new InvalidRequestException("messages", "'messages' must contain at least one message");
    }
    return turns;
  }

  private Turn turn(JsonParser p, int index) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw invalidType("messages." + index, "an object", p.currentToken());
    }
    String role = null;
    String text = null;
    List<Block> blocks = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "role" -> {
          if (value != JsonToken.VALUE_STRING) {
            throw invalidType("messages." + index + ".role", "a string", value);
          }
          role = p.getText();
        }
        case "content" -> {
          if (value == JsonToken.VALUE_STRING) {
            text = p.getText();
          } else if (value == JsonToken.START_ARRAY) {
            blocks = blocks(p, "messages." + index + ".content");
          } else if (value != JsonToken.VALUE_NULL) {
            throw invalidType("messages." + index + ".content", "a string or an array of content blocks", value);
          }
        }
        default -> p.skipChildren();
      }
    }
    if (role == null) {
      throw missing("messages." + index + ".role");
    }
    if (!role.equals("user") && !role.equals("assistant")) {
      String path = "messages." + index + ".role";
      throw new InvalidRequestException(path, "Invalid value for '" + path + "': '" + role
          + "'; expected 'user' or 'assistant' (the system prompt is the top-level 'system' field)");
    }
    if (text == null && blocks == null) {
      throw missing("messages." + index + ".content");
    }
    return new Turn(role, text, blocks == null ? List.of() : blocks);
  }

  /** The blocks of a content array the parser stands on. */
  private List<Block> blocks(JsonParser p, String path) throws IOException {
    List<Block> blocks = new ArrayList<>(4);
    while (p.nextToken() != JsonToken.END_ARRAY) {
      blocks.add(block(p, path, blocks.size()));
    }
    return blocks;
  }

  /**
   * A content block, read as it streams by: text (the common case) becomes a {@link Text} and a tool use
   * a {@link ToolUse} without building a tree; anything else is kept whole.
   */
  private Block block(JsonParser p, String path, int index) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      throw notABlock(path + "." + index);
    }
    String type = null;
    String text = null;
    String id = null;
    String name = null;
    String input = null;
    ObjectNode rest = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.VALUE_STRING && field.equals("type")) {
        type = p.getText();
      } else if (value == JsonToken.VALUE_STRING && field.equals("text")) {
        text = p.getText();
      } else if (value == JsonToken.VALUE_STRING && field.equals("id")) {
        id = p.getText();
      } else if (value == JsonToken.VALUE_STRING && field.equals("name")) {
        name = p.getText();
      } else if (value == JsonToken.START_OBJECT && field.equals("input")) {
        input = rawText(p);
      } else {
        if (rest == null) {
          rest = NODES.objectNode();
        }
        rest.set(field, Json.valueAt(p));
      }
    }
    if (type == null) {
      throw notABlock(path + "." + index);
    }
    switch (type) {
      case "text" -> {
        if (text == null) {
          throw invalidType(path + "." + index + ".text", "a string", rest == null ? null : rest.get("text"));
        }
        return new Text(text);
      }
      case "tool_use" -> {
        String at = path + "." + index;
        if (id == null) {
          requiredText(rest == null ? null : rest.get("id"), at + ".id");
        }
        if (name == null) {
          requiredText(rest == null ? null : rest.get("name"), at + ".name");
        }
        if (input == null) {
          throw invalidType(at + ".input", "an object", rest == null ? null : rest.get("input"));
        }
        return new ToolUse(id, name, input);
      }
      default -> {
        ObjectNode whole = NODES.objectNode().put("type", type);
        if (text != null) {
          whole.put("text", text);
        }
        if (id != null) {
          whole.put("id", id);
        }
        if (name != null) {
          whole.put("name", name);
        }
        if (input != null) {
          whole.set("input", Json.MAPPER.readTree(input));
        }
        if (rest != null) {
          whole.setAll(rest);
        }
        return new Other(type, whole);
      }
    }
  }

  /** The JSON text of the value the parser stands on, as the caller wrote it, without building it. */
  private String rawText(JsonParser p) throws IOException {
    int from = (int) p.currentTokenLocation().getByteOffset();
    p.skipChildren();
    int to = (int) p.currentLocation().getByteOffset();
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  private static InvalidRequestException notABlock(String path) {
    return new InvalidRequestException(path, "Invalid '" + path + "': a content block is an object with a 'type'");
  }

  // system

  private void system(ChatRequest.Builder b, JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return;
    }
    if (token == JsonToken.VALUE_STRING) {
      if (!p.getText().isBlank()) {
        b.system(p.getText());
      }
      return;
    }
    if (token != JsonToken.START_ARRAY) {
      throw invalidType("system", "a string or an array of text blocks", token);
    }
    List<Block> blocks = blocks(p, "system");
    for (int i = 0; i < blocks.size(); i++) {
      if (!(blocks.get(i) instanceof Text text)) {
        String path = "system." + i + ".type";
        throw new InvalidRequestException(path, "'" + path + "' must be 'text': the system prompt takes text blocks only");
      }
      if (!text.text().isBlank()) {
        b.system(text.text());
      }
    }
  }

  // messages

  private void user(ChatRequest.Builder b, Turn turn, int index) {
    if (turn.text() != null) {
      b.message(Message.user(turn.text()));
      return;
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ContentPart> toolImages = new ArrayList<>();
    List<Block> blocks = turn.blocks();
    for (int i = 0; i < blocks.size(); i++) {
      switch (blocks.get(i)) {
        case Text text -> parts.add(ContentPart.text(text.text()));
        case ToolUse use -> kept(toolUseBlock(use), "the 'tool_use' block at " + at(index, i) + " (a user turn)", parts);
        case Other other -> {
          String at = at(index, i);
          switch (other.type()) {
            case "image" -> image(other.block(), at, parts);
            case "document" -> document(other.block(), at, parts);
            case "tool_result" -> b.message(toolResult(other.block(), at, toolImages));
            default -> kept(other.block(), "the '" + other.type() + "' block at " + at, parts);
          }
        }
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

  private static String at(int message, int block) {
    return "messages." + message + ".content." + block;
  }

  private static ObjectNode toolUseBlock(ToolUse use) {
    ObjectNode block = NODES.objectNode().put("type", "tool_use").put("id", use.id()).put("name", use.name());
    try {
      block.set("input", Json.MAPPER.readTree(use.input()));
    } catch (IOException e) {
      throw new IllegalStateException("an input read a moment ago no longer parses", e);
    }
    return block;
  }

  /** A tool result's blocks are read from its tree: usually a string, or a few small blocks. */
  private Message toolResult(JsonNode block, String at, List<ContentPart> images) {
    String id = requiredText(block.get("tool_use_id"), at + ".tool_use_id");
    JsonNode content = block.get("content");
    StringBuilder text = new StringBuilder();
    if (content != null && content.isTextual()) {
      text.append(content.textValue());
    } else if (content != null && !content.isNull()) {
      String path = at + ".content";
      if (!content.isArray()) {
        throw invalidType(path, "a string or an array of content blocks", content);
      }
      List<ContentPart> parts = new ArrayList<>();
      for (int i = 0; i < content.size(); i++) {
        String partAt = path + "." + i;
        JsonNode part = content.get(i);
        if (!part.isObject() || !part.path("type").isTextual()) {
          throw notABlock(partAt);
        }
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

  private static void assistant(ChatRequest.Builder b, Turn turn) {
    if (turn.text() != null) {
      if (!turn.text().isEmpty()) {
        b.message(Message.assistant(turn.text()));
      }
      return;
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (Block block : turn.blocks()) {
      switch (block) {
        case Text t -> {
          if (!text.isEmpty() && !t.text().isEmpty()) {
            text.append("\n\n");
          }
          text.append(t.text());
        }
        case ToolUse use -> calls.add(new ToolCall(use.id(), use.name(), use.input()));
        case Other ignored -> {
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

  // tools

  /**
   * The tools that translate, read as they stream by: each schema is kept as the caller wrote it, never
   * built. Anthropic's own tools (a {@code type} other than {@code custom}) cannot be translated.
   */
  private List<Tool> tools(JsonParser p) throws IOException {
    JsonToken token = p.currentToken();
    if (token == JsonToken.VALUE_NULL) {
      return List.of();
    }
    if (token != JsonToken.START_ARRAY) {
      throw invalidType("tools", "an array", token);
    }
    List<Tool> tools = new ArrayList<>();
    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw invalidType("tools." + i, "an object", p.currentToken());
      }
      String name = null;
      String description = null;
      String schema = null;
      JsonToken schemaToken = null;
      String type = null;
      Boolean strict = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "name" -> {
            if (value != JsonToken.VALUE_STRING) {
              throw invalidType("tools." + i + ".name", "a string", value);
            }
            name = p.getText();
          }
          case "description" -> description = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "input_schema" -> {
            schemaToken = value;
            if (value == JsonToken.START_OBJECT) {
              schema = rawText(p);
            } else {
              p.skipChildren();
            }
          }
          case "type" -> type = value == JsonToken.VALUE_STRING ? p.getText() : null;
          case "strict" -> strict = value.isBoolean() ? value == JsonToken.VALUE_TRUE : null;
          default -> p.skipChildren();
        }
      }
      if (name == null) {
        throw missing("tools." + i + ".name");
      }
      if (type != null && !type.equals("custom")) {
        untranslatable("Anthropic's tool '" + name + "' (" + type + ")");
        continue;
      }
      if (schema == null) {
        throw invalidType("tools." + i + ".input_schema", "a JSON Schema object", schemaToken);
      }
      tools.add(new Tool(name, description, schema, strict));
    }
    return tools;
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

  private static void require(boolean present, String field) {
    if (!present) {
      throw missing(field);
    }
  }
}
