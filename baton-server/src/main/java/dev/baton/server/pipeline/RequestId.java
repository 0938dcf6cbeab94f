package dev.baton.server.pipeline;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Gives every request an id and every answer an {@code x-request-id} header — refusals and streams
 * included, since the header is set before anything else runs. A caller's own {@code x-request-id} is
 * kept when it is sane (1 to {@value #MAX_LENGTH} characters of letters, digits and {@code -_.:/+=@}), so
 * a trace can be followed across the caller's systems and ours; otherwise the gateway makes a random UUID.
 */
public final class RequestId implements Filter {

  public static final HeaderName HEADER = HeaderNames.create("x-request-id");
  static final int MAX_LENGTH = 128;

  @Override
  public void handle(Exchange exchange, Chain chain) {
    String given = exchange.http().header(HEADER);
    String id = sane(given) ? given : generate();
    exchange.requestId(id);
    exchange.http().header(HEADER, id);
    chain.proceed();
  }

  static boolean sane(@Nullable String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=' || c == '@';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * A version-4 UUID from the thread's own random generator: an id must be unique, not unguessable, and
   * {@link UUID#randomUUID()} would take a {@code SecureRandom} shared by every request.
   */
  static String generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low).toString();
  }
}
