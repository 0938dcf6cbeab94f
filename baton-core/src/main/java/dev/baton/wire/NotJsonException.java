package dev.baton.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;

/**
 * A body that is not JSON: empty, malformed, cut short, or with something after its one value. Told apart
 * from an answer of the wrong shape because a provider reports the two differently.
 */
public final class NotJsonException extends IOException {

  public NotJsonException(String message) {
    super(message);
  }

  public NotJsonException(JsonProcessingException cause) {
    super(cause.getMessage(), cause);
  }
}
