package dev.baton.server.door.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ChatRequest;
import dev.baton.ContentPart;
import dev.baton.InvalidRequestException;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import dev.baton.server.door.responses.ResponsesRequest.Unsupported;
import dev.baton.wire.Json;
import dev.baton.wire.RequestErrors;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Responses API request translated into the router's one request model, so that any provider can answer
 * it. The table, field by field (each row pinned by {@code ChatTranslationTest}):
 *
 * <pre>
 *   instructions                     → a system message, first
 *   input: a string                  → one user message
 *   message (user)                   → a user message: input_text → text, input_image (image_url) → image
 *   message (system, developer)      → a system message
 *   message (assistant)              → an assistant message: output_text (and refusal) → its text
 *   function_call                    → a tool call of the assistant turn it follows
 *   function_call_output             → a tool message answering its call_id
 *   reasoning                        → left out: it is one provider's own state, which no other can read
 *   tools: function                  → a function tool (name, description, parameters, strict)
 *   tool_choice                      → auto | none | required | that function
 *   text.format                      → response_format: text | json_object | json_schema (name, schema, strict)
 *   max_output_tokens                → max_tokens
 *   temperature, top_p, penalties    → the same
 *   parallel_tool_calls              → the same
 *   safety_identifier, else user     → the end user
 *   fallbacks                        → this request's fallbacks (Baton's own)
 * </pre>
 *
 * Anything else (a hosted tool, a file, an audio part, an item reference, reasoning settings, ...) cannot be
 * carried: the first such thing is returned with the request, and a translating deployment refuses it as a
 * 400 naming it, never dropping it silently. What a stored conversation holds that no chat can (a hosted
 * tool's call, a reasoning item) is left out of it: the answer that followed it is kept.
 */
final class ChatTranslation {

  /**
   * The translated request, and the first thing it could not carry.
   *
   * @param chat the request; when {@code unsupported} is set, it holds what could be translated, enough
   *     for the router to plan the request
   */
  record Translated(ChatRequest chat, @Nullable InvalidRequestException unsupported) {}

  private final List<Unsupported> unsupported;
  private final List<Message> messages = new ArrayList<>();
  /** The assistant turn being built from a message and the function calls that follow it. */
  private @Nullable String assistantText;
  private final List<ToolCall> assistantCalls = new ArrayList<>();
  private boolean assistantOpen;

  private ChatTranslation(List<Unsupported> unsupported) {
    this.unsupported = new ArrayList<>(unsupported);
  }

  /**
   * Translates a request.
   *
   * @param history the stored conversation it continues ({@code previous_response_id}), as items; empty if none
   */
  static Translated translate(ResponsesRequest request, List<JsonNode> history) {
    ChatTranslation t = new ChatTranslation(request.unsupported());
    JsonNode instructions = request.param("instructions");
    if (instructions != null && instructions.isTextual() && !instructions.textValue().isEmpty()) {
      t.messages.add(Message.system(instructions.textValue()));
    }
    for (JsonNode item : history) {
      t.item(item, "previous_response_id", true);
    }
    for (int i = 0; i < request.input().size(); i++) {
      t.item(request.input().get(i), "input[" + i + "]", false);
    }
    t.closeAssistant();

    ChatRequest.Builder b = ChatRequest.builder().model(request.model()).fallbacks(request.fallbacks());
    b.messages(t.messages.isEmpty() ? List.of(Message.user("")) : t.messages);
    JsonNode tools = request.param("tools");
    if (tools != null) {
      for (int i = 0; i < tools.size(); i++) {
        Tool tool = t.tool(tools.get(i), "tools[" + i + "]");
        if (tool != null) {
          b.tool(tool);
        }
      }
    }
    JsonNode choice = request.param("tool_choice");
    if (choice != null) {
      b.toolChoice(t.toolChoice(choice));
    }
    JsonNode text = request.param("text");
    if (text != null && text.get("format") != null && !text.get("format").isNull()) {
      b.responseFormat(t.format(text.get("format")));
    }
    b.maxTokens(integer(request.param("max_output_tokens")));
    b.temperature(number(request.param("temperature")));
    b.topP(number(request.param("top_p")));
    b.presencePenalty(number(request.param("presence_penalty")));
    b.frequencyPenalty(number(request.param("frequency_penalty")));
    JsonNode parallel = request.param("parallel_tool_calls");
    b.parallelToolCalls(parallel == null ? null : parallel.booleanValue());
    JsonNode user = request.param("safety_identifier");
    if (user == null) {
      user = request.param("user");
    }
    b.endUser(user == null ? null : user.textValue());

    InvalidRequestException refusal = null;
    if (!t.unsupported.isEmpty()) {
      Unsupported first = t.unsupported.get(0);
      refusal = new InvalidRequestException(first.param(), "Unsupported parameter: '" + first.param() + "' ("
          + first.reason() + ") can only go to a deployment that speaks the Responses API natively"
          + " (responses_api: native); model '" + request.model() + "' has none that can take it");
    }
    return new Translated(b.build(), refusal);
  }

  private void unsupported(String param, String reason) {
    unsupported.add(new Unsupported(param, reason));
  }

  /** One input item; {@code stored} items come from a stored conversation. */
  private void item(JsonNode item, String at, boolean stored) {
    if (!item.isObject()) {
      throw RequestErrors.invalidType(at, "an object", item);
    }
    String type = Json.text(item, "type");
    if (type == null && item.has("role")) {
      type = "message";
    }
    switch (type == null ? "" : type) {
      case "message" -> message(item, at);
      case "function_call" -> {
        String name = Json.text(item, "name");
        String callId = Json.text(item, "call_id");
        if (name == null || callId == null) {
          throw new InvalidRequestException(at,
              "Invalid '" + at + "': a function_call item needs 'call_id' and 'name'");
        }
        String arguments = Json.text(item, "arguments");
        openAssistant();
        assistantCalls.add(new ToolCall(callId, name, arguments == null ? "{}" : arguments));
      }
      case "function_call_output" -> {
        String callId = Json.text(item, "call_id");
        if (callId == null) {
          throw new InvalidRequestException(at + ".call_id", "Missing required parameter: '" + at + ".call_id'");
        }
        closeAssistant();
        messages.add(Message.tool(callId, toolOutput(item.get("output"), at + ".output")));
      }
      case "reasoning" -> {
        // One provider's own reasoning state: no other provider can read it, and the answer it led to is kept.
      }
      default -> {
        if (!stored) {
          unsupported(at + ".type", "input items of type '" + type + "'");
        }
        // A stored conversation's hosted-tool calls and the like: the answer that followed them is kept.
      }
    }
  }

  private void message(JsonNode item, String at) {
    String role = Json.text(item, "role");
    if (role == null) {
      throw new InvalidRequestException(at + ".role", "Missing required parameter: '" + at + ".role'");
    }
    JsonNode content = item.get("content");
    if (content == null || !(content.isTextual() || content.isArray())) {
      throw new InvalidRequestException(at + ".content",
          "Invalid '" + at + ".content': expected a string or an array of content parts");
    }
    switch (role) {
      case "user" -> {
        closeAssistant();
        messages.add(content.isTextual() ? Message.user(content.textValue()) : Message.user(userParts(content, at)));
      }
      case "system", "developer" -> {
        closeAssistant();
        messages.add(Message.system(content.isTextual() ? content.textValue() : systemText(content, at)));
      }
      case "assistant" -> {
        closeAssistant();
        openAssistant();
        assistantText = content.isTextual() ? content.textValue() : assistantText(content, at);
      }
      default -> throw new InvalidRequestException(at + ".role", "Invalid value for '" + at + ".role': '" + role
          + "'; expected user, system, developer or assistant");
    }
  }

  private List<ContentPart> userParts(JsonNode content, String at) {
    List<ContentPart> parts = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String where = at + ".content[" + i + "]";
      String type = Json.text(part, "type");
      switch (type == null ? "" : type) {
        case "input_text", "output_text" -> parts.add(ContentPart.text(text(part, where)));
        case "input_image" -> {
          String url = Json.text(part, "image_url");
          if (url == null) {
            unsupported(where, "images by file_id (only image_url, a URL or data: URL, translates)");
          } else {
            parts.add(new ContentPart.Image(url, Json.text(part, "detail")));
          }
        }
        default -> unsupported(where + ".type", "content parts of type '" + type + "'");
      }
    }
    return parts;
  }

  private String systemText(JsonNode content, String at) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = Json.text(part, "type");
      if ("input_text".equals(type)) {
        text.append(text(part, at + ".content[" + i + "]"));
      } else {
        unsupported(at + ".content[" + i + "].type", "'" + type + "' parts in a system message");
      }
    }
    return text.toString();
  }

  private String assistantText(JsonNode content, String at) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      String type = Json.text(part, "type");
      String where = at + ".content[" + i + "]";
      switch (type == null ? "" : type) {
        case "output_text", "input_text" -> text.append(text(part, where));
        case "refusal" -> text.append(Json.text(part, "refusal") == null ? "" : Json.text(part, "refusal"));
        default -> unsupported(where + ".type", "'" + type + "' parts in an assistant message");
      }
    }
    return text.toString();
  }

  private String toolOutput(@Nullable JsonNode output, String at) {
    if (output == null || output.isNull()) {
      throw new InvalidRequestException(at, "Missing required parameter: '" + at + "'");
    }
    if (output.isTextual()) {
      return output.textValue();
    }
    if (!output.isArray()) {
      throw RequestErrors.invalidType(at, "a string or an array of content parts", output);
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < output.size(); i++) {
      JsonNode part = output.get(i);
      if ("input_text".equals(Json.text(part, "type"))) {
        text.append(text(part, at + "[" + i + "]"));
      } else {
        unsupported(at + "[" + i + "].type", "'" + Json.text(part, "type") + "' parts in a function call's output");
      }
    }
    return text.toString();
  }

  private static String text(JsonNode part, String at) {
    JsonNode text = part.get("text");
    if (text == null || !text.isTextual()) {
      throw new InvalidRequestException(at + ".text", "Missing or invalid '" + at + ".text': expected a string");
    }
    return text.textValue();
  }

  private void openAssistant() {
    if (!assistantOpen) {
      assistantOpen = true;
      assistantText = null;
      assistantCalls.clear();
    }
  }

  private void closeAssistant() {
    if (!assistantOpen) {
      return;
    }
    assistantOpen = false;
    messages.add(assistantCalls.isEmpty()
        ? Message.assistant(assistantText == null ? "" : assistantText)
        : Message.assistant(assistantText == null || assistantText.isEmpty() ? null : assistantText,
            List.copyOf(assistantCalls)));
  }

  private @Nullable Tool tool(JsonNode tool, String at) {
    if (!tool.isObject()) {
      throw RequestErrors.invalidType(at, "an object", tool);
    }
    String type = Json.text(tool, "type");
    if (!"function".equals(type)) {
      unsupported(at + ".type", "'" + type + "' tools (only function tools translate)");
      return null;
    }
    String name = Json.text(tool, "name");
    if (name == null || name.isEmpty()) {
      throw new InvalidRequestException(at + ".name", "Missing required parameter: '" + at + ".name'");
    }
    JsonNode parameters = tool.get("parameters");
    JsonNode strict = tool.get("strict");
    return new Tool(name, Json.text(tool, "description"),
        parameters == null || parameters.isNull() ? "{\"type\":\"object\",\"properties\":{}}" : parameters.toString(),
        strict != null && strict.isBoolean() ? strict.booleanValue() : null);
  }

  private @Nullable ToolChoice toolChoice(JsonNode choice) {
    if (choice.isTextual()) {
      return switch (choice.textValue()) {
        case "auto" -> ToolChoice.AUTO;
        case "none" -> ToolChoice.NONE;
        case "required" -> ToolChoice.REQUIRED;
        default -> throw new InvalidRequestException("tool_choice", "Invalid value for 'tool_choice': '"
            + choice.textValue() + "'; expected auto, none, required or an object");
      };
    }
    String type = Json.text(choice, "type");
    String name = Json.text(choice, "name");
    if ("function".equals(type) && name != null) {
      return ToolChoice.function(name);
    }
    unsupported("tool_choice", "a tool_choice of type '" + type + "'");
    return null;
  }

  private @Nullable ResponseFormat format(JsonNode format) {
    String type = Json.text(format, "type");
    switch (type == null ? "" : type) {
      case "text" -> {
        return ResponseFormat.text();
      }
      case "json_object" -> {
        return ResponseFormat.jsonObject();
      }
      case "json_schema" -> {
        JsonNode schema = format.get("schema");
        if (schema == null || !schema.isObject()) {
          throw new InvalidRequestException("text.format.schema", "Missing required parameter: 'text.format.schema'");
        }
        String name = Json.text(format, "name");
        if (name == null) {
          throw new InvalidRequestException("text.format.name", "Missing required parameter: 'text.format.name'");
        }
        JsonNode strict = format.get("strict");
        return new ResponseFormat("json_schema", name, schema.toString(),
            strict != null && strict.isBoolean() ? strict.booleanValue() : null);
      }
      default -> throw new InvalidRequestException("text.format.type", "Invalid value for 'text.format.type': '"
          + type + "'; expected text, json_object or json_schema");
    }
  }

  private static @Nullable Integer integer(@Nullable JsonNode value) {
    return value == null ? null : value.intValue();
  }

  private static @Nullable Double number(@Nullable JsonNode value) {
    return value == null ? null : value.doubleValue();
  }
}
