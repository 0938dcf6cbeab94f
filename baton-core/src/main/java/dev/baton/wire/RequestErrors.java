package dev.baton.wire;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * The 400s every front door's request reader raises, worded as OpenAI words them ("Missing required
 * parameter: 'x'", "Invalid type for 'x': expected ..., but got ..."), so the chat, Responses and Messages
 * readers name a bad field the same way.
 */
public final class RequestErrors {

  private RequestErrors() {}

  /** A required field is absent. */
  public static InvalidRequestException missing(String field) {
    return new InvalidRequestException(field, "Missing required parameter: '" + field + "'");
  }

  /** A value of the wrong type, seen by a streaming parser ({@code null}: the body ended). */
  public static InvalidRequestException invalidType(String name, String expected, @Nullable JsonToken actual) {
    return new InvalidRequestException(name, "Invalid type for '" + name + "': expected " + expected + ", but got "
        + (actual == null ? "nothing" : kind(actual)));
  }

  /** A value of the wrong type, read as a tree ({@code null}: absent). */
  public static InvalidRequestException invalidType(String name, String expected, @Nullable JsonNode actual) {
    return new InvalidRequestException(name, "Invalid type for '" + name + "': expected " + expected + ", but got "
        + (actual == null ? "nothing" : kind(actual)));
  }

  /** A body the JSON parser refused: the parser's first line says where, without echoing the body. */
  public static InvalidRequestException notJson(@Nullable String parserMessage) {
    return new InvalidRequestException(null, "The request body is not valid JSON: " + firstLine(parserMessage));
  }

  /** "an array", "a string", ...: the kind of value the caller sent, for messages. */
  public static String kind(JsonToken token) {
    return switch (token) {
      case START_ARRAY -> "an array";
      case START_OBJECT, VALUE_EMBEDDED_OBJECT -> "an object";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "an unknown value";
    };
  }

  /** The same for a value read as a tree. */
  public static String kind(JsonNode node) {
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
