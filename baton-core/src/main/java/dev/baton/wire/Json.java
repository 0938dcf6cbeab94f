package dev.baton.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/** The one Jackson setup, and small helpers for reading trees whose shape is not trusted. */
public final class Json {

  public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          // Prompts and embedding batches are large; the gateway bounds bodies by bytes itself.
          .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(256 * 1024 * 1024).build())
          .build())
      // "{} trailing garbage" is not a JSON object; a lenient parser would quietly drop the tail.
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  /** Writes JSON with {@code body} and returns the bytes. */
  public static byte[] write(Writer body) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(512);
    try (JsonGenerator gen = MAPPER.createGenerator(bytes)) {
      body.write(gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes JSON into a generator. */
  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator gen) throws IOException;
  }

  private static final com.fasterxml.jackson.databind.node.JsonNodeFactory NODES =
      com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;

  /**
   * The value a streaming parser stands on, as a tree ({@code null} becomes a null node), leaving the parser
   * on its last token: for the small or rare values a streaming reader keeps as trees. Built here rather
   * than by an {@code ObjectReader}, which sets up a deserialization context for every value (2% of the
   * gateway's CPU for the few small trees of a chat request); the nodes are those Jackson would build.
   */
  public static JsonNode valueAt(com.fasterxml.jackson.core.JsonParser parser) throws IOException {
    com.fasterxml.jackson.core.JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IOException("no JSON value here");
    }
    return switch (token) {
      case START_OBJECT -> {
        com.fasterxml.jackson.databind.node.ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.set(name, valueAt(parser)); // a repeated name: the last one wins, as in Jackson's trees
        }
        yield object;
      }
      case START_ARRAY -> {
        com.fasterxml.jackson.databind.node.ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
          array.add(valueAt(parser));
        }
        yield array;
      }
      case VALUE_STRING -> NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
        case INT -> NODES.numberNode(parser.getIntValue());
        case LONG -> NODES.numberNode(parser.getLongValue());
        default -> NODES.numberNode(parser.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      default -> throw new IOException("unexpected " + token + " where a JSON value belongs");
    };
  }

  /** A JSON string literal's UTF-8 bytes, such as {@code "gpt-4o"} with its quotes. */
  public static byte[] quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        quoted.append('\\').append(c);
      } else if (c < 0x20) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('"').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Parses JSON; throws {@link IOException} for anything that is not JSON. */
  public static JsonNode parse(byte[] bytes) throws IOException {
    JsonNode node = MAPPER.readTree(bytes);
    if (node == null || node.isMissingNode()) {
      throw new IOException("empty body");
    }
    return node;
  }

  /** The text of a string field, or null when it is missing, null or not a string. */
  public static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  /** The text of a field that may be a string or a number (error codes are either), or null. */
  public static @Nullable String scalar(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isContainerNode()) {
      return null;
    }
    return value.asText();
  }

  /** An array of numbers as floats (an embedding vector); anything else is an {@link IOException}. */
  public static float[] floats(@Nullable JsonNode array) throws IOException {
    if (array == null || !array.isArray()) {
      throw new IOException("an embedding is not an array of numbers");
    }
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = array.get(i);
      if (!value.isNumber()) {
        throw new IOException("an embedding holds a value that is not a number");
      }
      vector[i] = value.floatValue();
    }
    return vector;
  }

  /** A value that may be a Java string or a JSON string (extra fields arrive as either), as text; else null. */
  public static @Nullable String textOf(@Nullable Object value) {
    if (value instanceof String s) {
      return s;
    }
    return value instanceof JsonNode node && node.isTextual() ? node.textValue() : null;
  }

  public static int integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isNumber() ? value.intValue() : 0;
  }

  public static long longValue(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isNumber() ? value.longValue() : 0;
  }

  /** Writes a Java value given as an extra field: a JSON tree, a map, a list, a string, a number, ... */
  public static void writeValue(JsonGenerator gen, @Nullable Object value) throws IOException {
    if (value instanceof JsonNode node) {
      gen.writeTree(node);
    } else {
      MAPPER.writeValue(gen, value);
    }
  }

  /**
   * Writes a JSON document given as text (a schema, say), checking that it is JSON so a typo in code
   * becomes a clear error here rather than a 400 from the upstream.
   */
  public static void writeJsonText(JsonGenerator gen, String field, String json) throws IOException {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new dev.baton.InvalidRequestException(field, field + " is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode()) {
      // Jackson reads empty text as "missing", which would be written as null.
      throw new dev.baton.InvalidRequestException(field, field + " is not valid JSON: it is empty");
    }
    gen.writeTree(node);
  }
}
