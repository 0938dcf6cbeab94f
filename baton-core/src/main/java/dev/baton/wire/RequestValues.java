package dev.baton.wire;

import static dev.baton.wire.RequestErrors.invalidType;
import static dev.baton.wire.RequestErrors.missing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads of request values held as trees, each a 400 that names the field when the value is absent or of
 * the wrong type ({@link RequestErrors}'s words): shared by the chat, Responses and Messages readers.
 */
public final class RequestValues {

  private RequestValues() {}

  /** A string that must be there, possibly empty. */
  public static String requiredText(@Nullable JsonNode value, String name) {
    if (value == null || value.isNull()) {
      throw missing(name);
    }
    if (!value.isTextual()) {
      throw invalidType(name, "a string", value);
    }
    return value.textValue();
  }

  /** A string that must be there and not empty. */
  public static String requiredString(@Nullable JsonNode value, String name) {
    String text = requiredText(value, name);
    if (text.isEmpty()) {
      throw new InvalidRequestException(name, "'" + name + "' must not be empty");
    }
    return text;
  }

  /** A string, or null when absent. */
  public static @Nullable String optionalString(@Nullable JsonNode value, String name) {
    return value == null || value.isNull() ? null : requiredText(value, name);
  }

  /** A boolean, or {@code otherwise} when absent. */
  public static boolean bool(@Nullable JsonNode value, String name, boolean otherwise) {
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (!value.isBoolean()) {
      throw invalidType(name, "a boolean", value);
    }
    return value.booleanValue();
  }
}
