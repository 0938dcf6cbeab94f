package dev.baton.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A JSON object as it arrived: its bytes and where each top-level field lies in them. A passthrough
 * writes it again by copying the fields' bytes, replacing or dropping only the few fields it must
 * change — no re-serialising, and nothing a caller sent is reformatted or lost.
 *
 * @param bytes the object's bytes
 * @param fields each top-level field in order, as it lies in {@code bytes}
 */
public record RawObject(byte[] bytes, List<Field> fields) {

  /**
   * One top-level field.
   *
   * @param name its name
   * @param start where its name's opening quote is
   * @param valueStart where its value's first byte is
   * @param end just after its value's last byte
   */
  public record Field(String name, int start, int valueStart, int end) {}

  /**
   * Reads a JSON object's top-level fields, keeping its bytes.
   *
   * @throws IOException if {@code json} is not one JSON object
   */
  public static RawObject of(byte[] json) throws IOException {
    try (com.fasterxml.jackson.core.JsonParser parser = Json.MAPPER.createParser(json)) {
      if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      RawFields fields = new RawFields(parser, json);
      while (fields.next()) {
        parser.skipChildren();
      }
      if (parser.nextToken() != null) {
        throw new IOException("something follows the JSON object");
      }
      return fields.raw();
    }
  }

  /**
   * This object with some fields changed, written by copying the other fields' bytes: each named field's
   * value is replaced by the given JSON, or dropped when it is null; a name the object lacks is appended.
   *
   * @param values field name to the JSON bytes of its new value, or to null to drop it
   */
  public RawObject with(Map<String, byte @Nullable []> values) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length + 64);
    List<Field> written = new java.util.ArrayList<>(fields.size() + values.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    out.write('{');
    for (Field field : fields) {
      if (!values.containsKey(field.name())) {
        member(out, written, field.name(), bytes, field.start(), field.valueStart(), field.end());
      } else if (seen.add(field.name()) && values.get(field.name()) != null) {
        member(out, written, field.name(), values.get(field.name()));
      }
    }
    values.forEach((name, value) -> {
      if (value != null && !seen.contains(name)) {
        member(out, written, name, value);
      }
    });
    out.write('}');
    return new RawObject(out.toByteArray(), List.copyOf(written));
  }

  private static void member(java.io.ByteArrayOutputStream out, List<Field> written, String name, byte[] source,
      int start, int valueStart, int end) {
    if (!written.isEmpty()) {
      out.write(',');
    }
    int at = out.size();
    out.write(source, start, end - start);
    written.add(new Field(name, at, at + valueStart - start, out.size()));
  }

  private static void member(java.io.ByteArrayOutputStream out, List<Field> written, String name, byte[] value) {
    if (!written.isEmpty()) {
      out.write(',');
    }
    int at = out.size();
    byte[] quoted = Json.quote(name);
    out.write(quoted, 0, quoted.length);
    out.write(':');
    int valueStart = out.size();
    out.write(value, 0, value.length);
    written.add(new Field(name, at, valueStart, out.size()));
  }

  /** The last value of the field called {@code name}, parsed; null when there is no such field. */
  public @Nullable JsonNode value(String name) {
    for (int i = fields.size() - 1; i >= 0; i--) {
      Field field = fields.get(i);
      if (field.name().equals(name)) {
        try {
          return Json.MAPPER.readTree(bytes, field.valueStart(), field.end() - field.valueStart());
        } catch (IOException e) {
          throw new UncheckedIOException("a field read before no longer parses", e);
        }
      }
    }
    return null;
  }
}
