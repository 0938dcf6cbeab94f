package dev.baton.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request's top-level fields as a streaming parser passes them, noting where each lies in the body, so a
 * passthrough can copy the caller's bytes instead of writing them again ({@link RawObject}). The reader
 * stands the parser on each field's value in turn; whatever of the value it does not read is skipped.
 */
public final class RawFields {

  private final JsonParser parser;
  private final byte[] body;
  private final List<RawObject.Field> fields = new ArrayList<>();
  private @Nullable String name;
  private int start;
  private int valueStart;

  /** @param parser a parser over {@code body}, standing on the object's opening brace */
  public RawFields(JsonParser parser, byte[] body) {
    this.parser = parser;
    this.body = body;
  }

  /** Moves to the next field's value; false at the object's end. */
  public boolean next() throws IOException {
    if (name != null) {
      // The value just read ends here; a reader that kept only part of a value skips the rest, and a string
      // left unread is read to its end (Jackson reads a string's text only when asked for it).
      parser.skipChildren();
      parser.finishToken();
      fields.add(new RawObject.Field(name, start, valueStart, (int) parser.currentLocation().getByteOffset()));
    }
    if (parser.nextToken() != JsonToken.FIELD_NAME) {
      name = null;
      return false;
    }
    name = parser.currentName();
    start = (int) parser.currentTokenLocation().getByteOffset();
    parser.nextToken();
    valueStart = (int) parser.currentTokenLocation().getByteOffset();
    return true;
  }

  /** The current field's name. */
  public String name() {
    return Objects.requireNonNull(name);
  }

  /** The body being read. */
  public byte[] body() {
    return body;
  }

  /** The fields passed so far, with the body: the whole object once {@link #next()} has returned false. */
  public RawObject raw() {
    return new RawObject(body, List.copyOf(fields));
  }
}
