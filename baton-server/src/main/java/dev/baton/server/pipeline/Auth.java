package dev.baton.server.pipeline;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import org.jspecify.annotations.Nullable;

/**
 * The master key ({@code server.master_key}): when one is set, a request must carry it as
 * {@code Authorization: Bearer <key>} (OpenAI's clients) or {@code x-api-key: <key>} (Anthropic's), or it
 * gets a 401; the caller is then {@link Caller#MASTER}. Without one, every caller is
 * {@link Caller#ANONYMOUS}. The key is compared in constant time, and never sent anywhere.
 */
public final class Auth implements Filter {

  public static final HeaderName API_KEY = HeaderNames.create("x-api-key");
  private static final String BEARER = "Bearer ";

  private final @Nullable String masterKey;

  /** @param masterKey the key every request must carry, or null to let every request through */
  public Auth(@Nullable String masterKey) {
    this.masterKey = masterKey == null || masterKey.isEmpty() ? null : masterKey;
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    if (masterKey == null) {
      exchange.caller(Caller.ANONYMOUS);
    } else if (carriesMasterKey(exchange.http())) {
      exchange.caller(Caller.MASTER);
    } else {
      throw GatewayError.unauthorized();
    }
    chain.proceed();
  }

  private boolean carriesMasterKey(HttpCall http) {
    String authorization = http.header(HeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
        && sameKey(authorization, BEARER.length(), masterKey)) {
      return true;
    }
    String apiKey = http.header(API_KEY);
    return apiKey != null && sameKey(apiKey, 0, masterKey);
  }

  /**
   * Whether {@code given}, from {@code from} on, is {@code key}, in a time that depends on the key's
   * length only (like {@link java.security.MessageDigest#isEqual}), and without copying either.
   */
  static boolean sameKey(String given, int from, String key) {
    int length = given.length() - from;
    int difference = length ^ key.length();
    for (int i = 0; i < key.length(); i++) {
      char c = i < length ? given.charAt(from + i) : 0;
      difference |= c ^ key.charAt(i);
    }
    return difference == 0;
  }
}
