package dev.baton.store.admin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.store.BudgetPeriod;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An admin request's JSON object, read strictly: every field must be one the route knows, of its type,
 * and every problem is a {@link BadInput} naming the field. A field given as {@code null} reads as null,
 * which a PATCH takes as "remove this limit"; {@link #has} tells it apart from a field not given.
 */
final class JsonBody {

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final ObjectNode node;

  private JsonBody(ObjectNode node) {
    this.node = node;
  }

  /** Parses a body that must be a JSON object holding only {@code allowed} fields. */
  static JsonBody parse(@Nullable String body, Set<String> allowed) {
    if (body == null || body.isBlank()) {
      throw new BadInput(null, "the body must be a JSON object; it was empty");
    }
    JsonNode tree;
    try (JsonParser parser = JSON.createParser(body)) {
      tree = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        throw new BadInput(null, "the body is not valid JSON: more follows the object at line "
            + parser.currentLocation().getLineNr() + ", column " + parser.currentLocation().getColumnNr());
      }
    } catch (JsonProcessingException e) {
      throw new BadInput(null, "the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")"));
    } catch (java.io.IOException e) {
      throw new BadInput(null, "the body cannot be read: " + e.getMessage());
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new BadInput(null, "the body must be a JSON object, was " + kind(tree));
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new BadInput(name, "unknown field '" + name + "'; known fields: " + String.join(", ", allowed));
      }
    }
    return new JsonBody(object);
  }

  boolean has(String field) {
    return node.has(field);
  }

  /** A non-empty string of at most {@code max} characters; null when absent or null. */
  @Nullable String string(String field, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadInput(field, field + ": must be a string, was " + kind(v));
    }
    String s = v.asText().strip();
    if (s.isEmpty()) {
      throw new BadInput(field, field + ": must not be empty");
    }
    if (s.length() > max) {
      throw new BadInput(field, field + ": must be at most " + max + " characters, was " + s.length());
    }
    return s;
  }

  /** A whole number, zero or more; null when absent or null. */
  @Nullable Long count(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BadInput(field, field + ": must be a whole number, was " + kind(v));
    }
    long n = v.asLong();
    if (n < 0) {
      throw new BadInput(field, field + ": must not be negative, was " + n);
    }
    return n;
  }

  /** A number of US dollars, zero or more; null when absent or null. */
  @Nullable Double usd(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new BadInput(field, field + ": must be a number of US dollars, was " + kind(v));
    }
    double d = v.asDouble();
    if (d < 0 || Double.isInfinite(d)) {
      throw new BadInput(field, field + ": must not be negative, was " + v.asText());
    }
    return d;
  }

  @Nullable Boolean bool(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new BadInput(field, field + ": must be true or false, was " + kind(v));
    }
    return v.asBoolean();
  }

  /** A list of non-empty strings without repeats; null when absent or null. */
  @Nullable List<String> names(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new BadInput(field, field + ": must be a list of model names, was " + kind(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new BadInput(field, field + "[" + i + "]: must be a model name, was " + kind(item));
      }
      if (out.contains(item.asText())) {
        throw new BadInput(field, field + "[" + i + "]: '" + item.asText() + "' is listed twice");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** A JSON object of free-form values; null when absent or null. */
  @Nullable Map<String, Object> object(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new BadInput(field, field + ": must be a JSON object, was " + kind(v));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = JSON.convertValue(v, LinkedHashMap.class);
    return map;
  }

  /** A budget period such as {@code 1h}, {@code 1d} or {@code 30d}; null when absent or null. */
  @Nullable BudgetPeriod period(String field) {
    String text = string(field, 32);
    if (text == null) {
      return null;
    }
    try {
      return BudgetPeriod.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BadInput(field, field + ": " + e.getMessage());
    }
  }

  /** A span such as {@code 30m}, {@code 12h}, {@code 7d} or {@code 2w}; null when absent or null. */
  @Nullable Duration span(String field) {
    BudgetPeriod p = period(field);
    return p == null ? null : p.length();
  }

  /** An ISO-8601 moment ({@code 2027-01-31T12:00:00Z}, with any offset) or day (start of it, UTC). */
  @Nullable Instant moment(String field) {
    String text = string(field, 64);
    return text == null ? null : moment(field, text);
  }

  static Instant moment(String field, String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notADateTime) {
      try {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        throw new BadInput(field, field + ": expected an ISO-8601 time such as 2027-01-31T12:00:00Z or a day such as "
            + "2027-01-31, was '" + text + "'");
      }
    }
  }

  static String kind(@Nullable JsonNode v) {
    if (v == null || v.isNull()) {
      return "null";
    }
    if (v.isTextual()) {
      return "the string \"" + abbreviate(v.asText()) + "\"";
    }
    if (v.isIntegralNumber()) {
      return "the number " + v.asText();
    }
    if (v.isNumber()) {
      return "the number " + v.asText();
    }
    if (v.isBoolean()) {
      return v.asText();
    }
    if (v.isArray()) {
      return "a list";
    }
    return "an object";
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
