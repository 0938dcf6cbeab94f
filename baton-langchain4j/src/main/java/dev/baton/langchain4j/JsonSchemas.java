package dev.baton.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.List;
import java.util.Map;

/**
 * LangChain4j's schema elements as JSON Schema text, the form Baton sends for tool parameters and
 * structured output. Written here, from the public element types, rather than with LangChain4j's
 * internal helpers, so the application's own LangChain4j version can be any 1.x.
 */
final class JsonSchemas {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonSchemas() {}

  /** A tool's parameters: an object schema, or an empty object when the tool takes none. */
  static String parameters(JsonObjectSchema parameters) {
    if (parameters == null) {
      ObjectNode empty = MAPPER.createObjectNode().put("type", "object");
      empty.putObject("properties");
      return empty.toString();
    }
    return toJson(parameters);
  }

  static String toJson(JsonSchemaElement element) {
    return node(element).toString();
  }

  private static JsonNode node(JsonSchemaElement element) {
    ObjectNode node = MAPPER.createObjectNode();
    switch (element) {
      case JsonObjectSchema object -> {
        node.put("type", "object");
        description(node, object.description());
        ObjectNode properties = node.putObject("properties");
        if (object.properties() != null) {
          object.properties().forEach((name, value) -> properties.set(name, node(value)));
        }
        strings(node, "required", object.required());
        if (object.additionalProperties() != null) {
          node.put("additionalProperties", object.additionalProperties());
        }
        definitions(node, object.definitions());
      }
      case JsonArraySchema array -> {
        node.put("type", "array");
        description(node, array.description());
        if (array.items() != null) {
          node.set("items", node(array.items()));
        }
      }
      case JsonEnumSchema enumeration -> {
        node.put("type", "string");
        description(node, enumeration.description());
        strings(node, "enum", enumeration.enumValues());
      }
      case JsonStringSchema string -> typed(node, "string", string.description());
      case JsonIntegerSchema integer -> typed(node, "integer", integer.description());
      case JsonNumberSchema number -> typed(node, "number", number.description());
      case JsonBooleanSchema bool -> typed(node, "boolean", bool.description());
      case JsonNullSchema ignored -> node.put("type", "null");
      case JsonAnyOfSchema anyOf -> {
        description(node, anyOf.description());
        ArrayNode options = node.putArray("anyOf");
        anyOf.anyOf().forEach(option -> options.add(node(option)));
      }
      case JsonReferenceSchema reference -> {
        node.put("$ref", "#/$defs/" + reference.reference());
        description(node, reference.description());
      }
      case JsonRawSchema raw -> {
        try {
          return MAPPER.readTree(raw.schema());
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("a raw JSON schema is not valid JSON: " + e.getOriginalMessage(), e);
        }
      }
      default -> throw new UnsupportedFeatureException(
          "Baton cannot send the JSON schema element " + element.getClass().getName());
    }
    return node;
  }

  private static void typed(ObjectNode node, String type, String description) {
    node.put("type", type);
    description(node, description);
  }

  private static void description(ObjectNode node, String description) {
    if (description != null) {
      node.put("description", description);
    }
  }

  private static void strings(ObjectNode node, String field, List<String> values) {
    if (values != null && !values.isEmpty()) {
      ArrayNode array = node.putArray(field);
      values.forEach(array::add);
    }
  }

  private static void definitions(ObjectNode node, Map<String, JsonSchemaElement> definitions) {
    if (definitions != null && !definitions.isEmpty()) {
      ObjectNode defs = node.putObject("$defs");
      definitions.forEach((name, value) -> defs.set(name, node(value)));
    }
  }
}
