package dev.baton.server.door.responses;

import static dev.baton.wire.RequestErrors.invalidType;
import static dev.baton.wire.RequestValues.bool;
import static dev.baton.wire.RequestValues.optionalString;
import static dev.baton.wire.RequestValues.requiredString;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.baton.InvalidRequestException;
import dev.baton.server.door.responses.ResponsesRequest.Unsupported;
import dev.baton.wire.Json;
import dev.baton.wire.RequestErrors;
import dev.baton.wire.RawFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code POST /v1/responses} body in one pass, keeping its bytes: every field OpenAI's API reference
 * documents is checked for its type (a wrong one is a 400 naming it, whoever answers), and each one that a
 * translation into chat cannot carry is noted, with why, for the deployments that translate.
 */
public final class ResponsesRequestReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** {@code include} values that ask for nothing a translated answer could hold. */
  private static final Set<String> HARMLESS_INCLUDES = Set.of("reasoning.encrypted_content");

  private ResponsesRequestReader() {}

  public static ResponsesRequest read(byte[] body) {
    if (body.length == 0) {
      throw new InvalidRequestException(null, "The request body is empty; it must be a JSON object");
    }
    try (JsonParser parser = Json.MAPPER.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new InvalidRequestException(null, "The request body must be a JSON object");
      }
      RawFields fields = new RawFields(parser, body);
      Map<String, JsonNode> values = new LinkedHashMap<>();
      while (fields.next()) {
        String name = fields.name();
        if (name.equals("input") || name.equals("tools")) {
          // The large values stay bytes until a translation needs them; only their kind is checked here.
          values.put(name, kindOf(parser.currentToken()));
          parser.skipChildren();
        } else {
          values.put(name, Json.valueAt(parser));
        }
      }
      if (parser.nextToken() != null) {
        throw new InvalidRequestException(null, "The request body is not valid JSON: something follows the object");
      }
      return read(values, fields);
    } catch (JsonProcessingException e) {
      throw RequestErrors.notJson(e.getOriginalMessage());
    } catch (IOException e) {
      throw RequestErrors.notJson(e.getMessage());
    }
  }

  private static ResponsesRequest read(Map<String, JsonNode> values, RawFields fields) {
    String model = requiredString(values.get("model"), "model");
    JsonNode inputValue = values.get("input");
    if (inputValue == null || inputValue.isNull()) {
      throw new InvalidRequestException("input", "Missing required parameter: 'input'");
    }
    requireType(inputValue.isTextual() || inputValue.isArray(), "input", "a string or an array of input items",
        inputValue);
    boolean stream = bool(values.get("stream"), "stream", false);
    boolean store = bool(values.get("store"), "store", true);
    String previous = optionalString(values.get("previous_response_id"), "previous_response_id");
    List<String> fallbacks = strings(values.get("fallbacks"), "fallbacks");

    Map<String, JsonNode> params = new LinkedHashMap<>();
    List<Unsupported> unsupported = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : values.entrySet()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      switch (name) {
        case "model", "input", "stream", "store", "previous_response_id", "fallbacks" -> {
          continue; // read above
        }
        case "instructions" -> {
          if (!value.isTextual()) {
            requireType(value.isArray(), name, "a string or an array of input items", value);
            unsupported.add(new Unsupported(name, "instructions given as input items"));
          }
        }
        case "temperature", "top_p", "frequency_penalty", "presence_penalty" ->
            requireType(value.isNumber(), name, "a number", value);
        case "max_output_tokens", "max_tool_calls", "top_logprobs" ->
            requireType(value.isIntegralNumber(), name, "an integer", value);
        case "parallel_tool_calls", "background" -> requireType(value.isBoolean(), name, "a boolean", value);
        case "metadata" -> metadata(value);
        case "user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "service_tier", "truncation" ->
            requireType(value.isTextual(), name, "a string", value);
        case "tools" -> {
          requireType(value.isArray(), name, "an array", value);
          continue; // read from the body when a translation needs it
        }
        case "tool_choice" -> requireType(value.isTextual() || value.isObject(), name, "a string or an object", value);
        case "text", "reasoning", "stream_options", "prompt" -> requireType(value.isObject(), name, "an object", value);
        case "include" -> requireType(value.isArray(), name, "an array of strings", value);
        case "conversation" -> requireType(value.isTextual() || value.isObject(), name, "a string or an object", value);
        default -> {
          unsupported.add(new Unsupported(name, "a parameter Baton does not translate"));
          continue;
        }
      }
      params.put(name, value);
      String why = untranslatable(name, value);
      if (why != null) {
        unsupported.add(new Unsupported(name, why));
      }
    }
    if (params.get("background") != null && params.get("background").booleanValue()) {
      throw new InvalidRequestException("background", "Background responses are not supported by the gateway:"
          + " send 'background': false (the default) and read the answer as it comes");
    }
    if (previous != null && params.containsKey("conversation")) {
      throw new InvalidRequestException("previous_response_id",
          "'previous_response_id' and 'conversation' cannot be used together");
    }
    return new ResponsesRequest(model, stream, store, previous, fallbacks, params, unsupported, fields.raw());
  }

  /**
   * Why a known parameter, present and well typed, cannot be translated into chat; null when it can. The
   * few that only tune OpenAI's own service are accepted at their default values.
   */
  private static @Nullable String untranslatable(String name, JsonNode value) {
    return switch (name) {
      case "reasoning" -> allNull(value) ? null : "reasoning settings";
      case "include" -> {
        for (JsonNode item : value) {
          if (!item.isTextual() || !HARMLESS_INCLUDES.contains(item.textValue())) {
            yield "include " + item;
          }
        }
        yield null;
      }
      case "truncation" -> value.textValue().equals("disabled") ? null : "truncation '" + value.textValue() + "'";
      case "service_tier" -> value.textValue().equals("auto") || value.textValue().equals("default") ? null
          : "service_tier '" + value.textValue() + "'";
      case "top_logprobs" -> value.intValue() == 0 ? null : "log probabilities";
      case "prompt" -> "stored prompt templates";
      case "conversation" -> "OpenAI's stored conversations";
      case "text" -> {
        JsonNode verbosity = value.get("verbosity");
        yield verbosity == null || verbosity.isNull() ? null : "text.verbosity";
      }
      default -> null;
    };
  }

  private static boolean allNull(JsonNode object) {
    for (JsonNode member : object) {
      if (!member.isNull()) {
        return false;
      }
    }
    return true;
  }

  /**
   * A stand-in for a value left unread, of the same kind, so it is checked as the others are: an empty array
   * or object, an empty string, or the scalar itself.
   */
  private static JsonNode kindOf(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> NODES.arrayNode();
      case START_OBJECT -> NODES.objectNode();
      case VALUE_STRING -> NODES.textNode("");
      case VALUE_NULL -> NODES.nullNode();
      case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(token == JsonToken.VALUE_TRUE);
      default -> NODES.numberNode(0);
    };
  }

  private static void metadata(JsonNode value) {
    requireType(value.isObject(), "metadata", "an object of strings", value);
    if (value.size() > 16) {
      throw new InvalidRequestException("metadata", "Invalid 'metadata': at most 16 keys, was " + value.size());
    }
    value.fields().forEachRemaining(entry -> {
      if (!entry.getValue().isTextual()) {
        throw invalidType("metadata." + entry.getKey(), "a string", entry.getValue());
      }
    });
  }

  private static @Nullable List<String> strings(@Nullable JsonNode value, String name) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw invalidType(name, "an array of strings", value);
    }
    List<String> strings = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw invalidType(name + "[" + strings.size() + "]", "a string", item);
      }
      strings.add(item.textValue());
    }
    return strings;
  }

  private static void requireType(boolean ok, String name, String expected, JsonNode value) {
    if (!ok) {
      throw invalidType(name, expected, value);
    }
  }
}
