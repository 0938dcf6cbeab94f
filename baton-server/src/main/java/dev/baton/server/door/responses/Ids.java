package dev.baton.server.door.responses;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ids of responses and their output items, in OpenAI's forms ({@code resp_…}, {@code msg_…},
 * {@code fc_…}). A response's id is all it takes to read a stored response on a gateway without keys, so it
 * is unguessable; an item's id need only be unique.
 */
final class Ids {

  private static final SecureRandom SECURE = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private Ids() {}

  static String response() {
    byte[] bytes = new byte[24];
    SECURE.nextBytes(bytes);
    return "resp_" + HEX.formatHex(bytes);
  }

  static String message() {
    return item("msg_");
  }

  static String functionCall() {
    return item("fc_");
  }

  /** A function call's {@code call_id}, for a provider that gave its call none. */
  static String call() {
    return item("call_");
  }

  private static String item(String prefix) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return prefix + HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong())
        + HEX.toHexDigits(random.nextLong());
  }
}
