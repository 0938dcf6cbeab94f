package dev.baton.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
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
