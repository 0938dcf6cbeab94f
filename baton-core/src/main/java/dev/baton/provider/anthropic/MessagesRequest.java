package dev.baton.provider.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.UnsupportedRequestException;
import dev.baton.ChatRequest;
import dev.baton.ContentPart;
import dev.baton.Message;
import dev.baton.ResponseFormat;
import dev.baton.Tool;
import dev.baton.ToolCall;
import dev.baton.ToolChoice;
import dev.baton.provider.Call;
import dev.baton.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Translates a chat request in the OpenAI shape into an Anthropic Messages request.
 *
 * <ul>
 *   <li>System and developer messages, wherever they are, become the top-level {@code system}, joined by
 *       blank lines.
 *   <li>Consecutive messages of one role are merged into one turn: Anthropic requires user and assistant
 *       turns to alternate. Tool results are user turns of {@code tool_result} blocks, so a tool result
 *       followed by a user message becomes one turn, results first, as Anthropic asks.
 *   <li>The final assistant turn, if the conversation ends with one, is a prefill that the model continues;
 *       Anthropic rejects one ending in whitespace, so that whitespace is cut and reported in
 *       {@link Body#cutWhitespace()} for the answer to be read with {@link LeadingWhitespace}.
 *   <li>{@code response_format} has no Anthropic counterpart that is not in beta: a JSON format is asked for
 *       in the system prompt (with the schema, for {@code json_schema}). The model follows it well but
 *       nothing enforces it.
 *   <li>{@code temperature} is clamped to Anthropic's 0..1 (OpenAI's is 0..2): a request valid for the
 *       primary model must not become a 400 on its fallback.
 *   <li>{@code n}, {@code seed}, penalties, logprobs and every other OpenAI-only field are not sent;
 *       of the extra fields only Anthropic's own {@code top_k} is. {@code user} becomes
 *       {@code metadata.user_id}.
 * </ul>
 *
 * A request that cannot be expressed for Anthropic (an audio part, tool-call arguments that are not a JSON
 * object) is refused here, before anything is sent, with an {@link UnsupportedRequestException}: the router
 * then hands the request to a model that can take it.
 */
final class MessagesRequest {

  /** Extra fields that are Anthropic's own and may be passed on. */
  private static final List<String> NATIVE_EXTRAS = List.of("top_k");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * A translated request.
   *
   * @param json the request body
   * @param cutWhitespace the whitespace cut from the end of the final assistant turn, empty when none was
   */
  record Body(byte[] json, String cutWhitespace) {}

  private final Call call;

  private MessagesRequest(Call call) {
    this.call = call;
  }

  /**
   * @param model the Anthropic model id
   * @param defaultMaxTokens the output limit when the request sets none ({@code max_tokens} is required)
   * @param stream whether to ask for an event stream
   */
  static Body write(ChatRequest request, String model, int defaultMaxTokens, boolean stream, Call call) {
    return write(request, model, null, defaultMaxTokens, stream, call);
  }

  /**
   * @param bodyVersion a cloud's {@code anthropic_version}, written in place of the model (which the cloud
   *     takes from the path); null for Anthropic's own API
   */
  static Body write(ChatRequest request, String model, @Nullable String bodyVersion, int defaultMaxTokens,
      boolean stream, Call call) {
    return new MessagesRequest(call).translate(request, bodyVersion == null ? model : null, bodyVersion,
        defaultMaxTokens, stream);
  }

  /** One turn of the conversation being built. */
  private record Turn(String role, ArrayNode content) {}

  private Body translate(ChatRequest request, @Nullable String model, @Nullable String bodyVersion,
      int defaultMaxTokens, boolean stream) {
    ObjectNode root = NODES.objectNode();
    if (model != null) {
      root.put("model", model);
    }
    if (bodyVersion != null) {
      root.put("anthropic_version", bodyVersion);
    }
    Integer limit = request.outputLimit();
    root.put("max_tokens", limit != null ? limit : defaultMaxTokens);

    List<String> system = new ArrayList<>();
    List<Turn> turns = new ArrayList<>();
    for (Message m : request.messages()) {
      switch (m.role()) {
        case SYSTEM, DEVELOPER -> {
          if (!m.text().isBlank()) {
            system.add(m.text());
          }
        }
        case USER -> add(turns, "user", userContent(m));
        case ASSISTANT -> add(turns, "assistant", assistantContent(m));
        case TOOL -> add(turns, "user", toolResult(m));
        case FUNCTION -> throw refuse("messages",
            "the legacy 'function' role has no Anthropic counterpart; send tool results as 'tool' messages");
      }
    }
    String instruction = formatInstruction(request.responseFormat());
    if (instruction != null) {
      system.add(instruction);
    }
    if (!system.isEmpty()) {
      root.put("system", String.join("\n\n", system));
    }
    String cut = cutTrailingWhitespace(turns);
    ArrayNode messages = root.putArray("messages");
    for (Turn turn : turns) {
      ObjectNode message = messages.addObject();
      message.put("role", turn.role());
      message.set("content", turn.content());
    }

    if (!request.tools().isEmpty()) {
      ArrayNode tools = root.putArray("tools");
      for (Tool tool : request.tools()) {
        tools.add(tool(tool));
      }
      ObjectNode choice = toolChoice(request.toolChoice(), request.parallelToolCalls());
      if (choice != null) {
        root.set("tool_choice", choice);
      }
    }
    if (request.temperature() != null) {
      root.put("temperature", Math.max(0.0, Math.min(1.0, request.temperature())));
    }
    if (request.topP() != null) {
      root.put("top_p", request.topP());
    }
    if (!request.stop().isEmpty()) {
      ArrayNode stop = root.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (request.endUser() != null) {
      root.putObject("metadata").put("user_id", request.endUser());
    }
    for (String field : NATIVE_EXTRAS) {
      Object value = request.extra().get(field);
      if (value != null) {
        root.set(field, value instanceof JsonNode node ? node : Json.MAPPER.valueToTree(value));
      }
    }
    if (stream) {
      root.put("stream", true);
    }
    try {
      return new Body(Json.MAPPER.writeValueAsBytes(root), cut);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** Appends content as a turn, merging it into the previous turn when that has the same role. */
  private static void add(List<Turn> turns, String role, ArrayNode content) {
    if (content.isEmpty()) {
      return;
    }
    Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && last.role().equals(role)) {
      last.content().addAll(content);
    } else {
      turns.add(new Turn(role, content));
    }
  }

  /**
   * Cuts the whitespace Anthropic rejects at the end of a final assistant turn, dropping what is left
   * empty; returns what was cut.
   */
  private static String cutTrailingWhitespace(List<Turn> turns) {
    if (turns.isEmpty()) {
      return "";
    }
    Turn last = turns.get(turns.size() - 1);
    if (!last.role().equals("assistant")) {
      return "";
    }
    ArrayNode content = last.content();
    JsonNode block = content.get(content.size() - 1);
    if (!"text".equals(Json.text(block, "type"))) {
      return "";
    }
    String text = block.path("text").asText();
    String kept = text.stripTrailing();
    if (kept.isEmpty()) {
      content.remove(content.size() - 1);
      if (content.isEmpty()) {
        turns.remove(turns.size() - 1);
      }
    } else {
      ((ObjectNode) block).put("text", kept);
    }
    return text.substring(kept.length());
  }

  private ArrayNode userContent(Message m) {
    ArrayNode content = NODES.arrayNode();
    if (m.content() != null || m.parts().isEmpty()) {
      text(content, m.text());
      return content;
    }
    for (ContentPart part : m.parts()) {
      part(content, part);
    }
    return content;
  }

  private void part(ArrayNode content, ContentPart part) {
    switch (part) {
      case ContentPart.Text t -> text(content, t.text());
      case ContentPart.Image image -> content.add(image(image.url()));
      case ContentPart.Other other -> throw refuse("messages",
          "anthropic cannot take a content part of type '" + other.type() + "'; it takes text and images");
    }
  }

  /** Adds a text block; Anthropic rejects empty and whitespace-only ones, which carry nothing anyway. */
  private static void text(ArrayNode content, String text) {
    if (!text.isBlank()) {
      content.addObject().put("type", "text").put("text", text);
    }
  }

  /** An image: a {@code data:} URL as base64 data, an http(s) URL as a URL Anthropic fetches. */
  private ObjectNode image(String url) {
    ObjectNode block = NODES.objectNode().put("type", "image");
    ObjectNode source = block.putObject("source");
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("data:")) {
      int comma = url.indexOf(',');
      String meta = comma < 0 ? "" : url.substring(5, comma);
      if (comma < 0 || !meta.toLowerCase(Locale.ROOT).endsWith(";base64")) {
        throw refuse("messages", "an image data: URL must be base64-encoded (data:image/png;base64,...)");
      }
      source.put("type", "base64");
      source.put("media_type", meta.substring(0, meta.length() - ";base64".length()));
      source.put("data", url.substring(comma + 1));
    } else if (lower.startsWith("https://") || lower.startsWith("http://")) {
      source.put("type", "url");
      source.put("url", url);
    } else {
      throw refuse("messages", "an image URL must be http(s) or a base64 data: URL");
    }
    return block;
  }

  private ArrayNode assistantContent(Message m) {
    ArrayNode content = NODES.arrayNode();
    if (m.content() != null || m.parts().isEmpty()) {
      text(content, m.text());
    } else {
      for (ContentPart part : m.parts()) {
        part(content, part);
      }
    }
    for (ToolCall toolCall : m.toolCalls()) {
      ObjectNode block = content.addObject();
      block.put("type", "tool_use");
      block.put("id", toolCall.id());
      block.put("name", toolCall.name());
      block.set("input", arguments(toolCall));
    }
    return content;
  }

  /** Tool-call arguments arrive as JSON text; Anthropic takes them as the object itself. */
  private JsonNode arguments(ToolCall toolCall) {
    if (toolCall.arguments().isBlank()) {
      return NODES.objectNode();
    }
    JsonNode input;
    try {
      input = Json.MAPPER.readTree(toolCall.arguments());
    } catch (JsonProcessingException e) {
      input = null;
    }
    if (input == null || !input.isObject()) {
      throw refuse("messages", "the arguments of tool call '" + toolCall.id()
          + "' are not a JSON object, which anthropic requires");
    }
    return input;
  }

  private ArrayNode toolResult(Message m) {
    if (m.toolCallId() == null || m.toolCallId().isBlank()) {
      throw refuse("messages", "a tool message needs the tool_call_id of the call it answers");
    }
    ArrayNode content = NODES.arrayNode();
    ObjectNode block = content.addObject();
    block.put("type", "tool_result");
    block.put("tool_use_id", m.toolCallId());
    if (m.content() != null || m.parts().isEmpty()) {
      // Omitted when empty: Anthropic accepts a result without content but not an empty text block.
      if (!m.text().isEmpty()) {
        block.put("content", m.text());
      }
    } else {
      ArrayNode parts = NODES.arrayNode();
      for (ContentPart part : m.parts()) {
        part(parts, part);
      }
      if (!parts.isEmpty()) {
        block.set("content", parts);
      }
    }
    return content;
  }

  private ObjectNode tool(Tool tool) {
    ObjectNode out = NODES.objectNode();
    out.put("name", tool.name());
    if (tool.description() != null && !tool.description().isEmpty()) {
      out.put("description", tool.description());
    }
    JsonNode schema;
    if (tool.parameters().isBlank()) {
      schema = NODES.objectNode().put("type", "object");
    } else {
      try {
        schema = Json.MAPPER.readTree(tool.parameters());
      } catch (JsonProcessingException e) {
        throw refuse("tools", "the parameters of tool '" + tool.name() + "' are not valid JSON: "
            + e.getOriginalMessage());
      }
    }
    out.set("input_schema", schema);
    return out;
  }

  /** OpenAI's tool_choice and parallel_tool_calls as Anthropic's one tool_choice object, or null. */
  private static @Nullable ObjectNode toolChoice(@Nullable ToolChoice choice, @Nullable Boolean parallel) {
    String mode = choice == null ? null : choice.mode();
    ObjectNode out = NODES.objectNode();
    if (mode == null) {
      if (!Boolean.FALSE.equals(parallel)) {
        return null;
      }
      out.put("type", "auto");
    } else {
      switch (mode) {
        case "none" -> {
          // Anthropic does not take disable_parallel_tool_use with "none", and it would mean nothing.
          return out.put("type", "none");
        }
        case "required" -> out.put("type", "any");
        case "function" -> out.put("type", "tool").put("name", choice.function());
        default -> out.put("type", "auto");
      }
    }
    if (Boolean.FALSE.equals(parallel)) {
      out.put("disable_parallel_tool_use", true);
    }
    return out;
  }

  /** What to add to the system prompt for a JSON response format, or null for free text. */
  private static @Nullable String formatInstruction(@Nullable ResponseFormat format) {
    if (format == null) {
      return null;
    }
    return switch (format.type()) {
      case "json_object" -> "Respond with a single valid JSON object and nothing else: no prose, no code fences.";
      case "json_schema" -> "Respond with a single valid JSON object and nothing else: no prose, no code fences."
          + " It must conform to this JSON Schema:\n" + (format.schema() == null ? "{}" : format.schema());
      default -> null;
    };
  }

  private UnsupportedRequestException refuse(String param, String message) {
    return new UnsupportedRequestException(call.source(), "Anthropic cannot take " + param + ": " + message);
  }
}
