package dev.baton.server.pipeline;

import dev.baton.store.keys.Authentication;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import org.jspecify.annotations.Nullable;

/**
 * Who is calling. With a master key ({@code server.master_key}) set, a request must carry a key as
 * {@code Authorization: Bearer <key>} (OpenAI's clients) or {@code x-api-key: <key>} (Anthropic's): the
 * master key makes the caller {@link Caller#MASTER}; any other key is checked as a virtual key, when the
 * gateway has them, and makes a {@link VirtualKeyCaller} or a 401 {@code invalid_api_key} saying why
 * (unknown or revoked, expired, blocked). Without a master key the gateway is open: every caller is
 * {@link Caller#ANONYMOUS}, whatever it sends (there is no administrator to have made a virtual key).
 *
 * <p>The master key is compared in constant time and without copying the header; a virtual key is looked
 * up by its hash in memory, never waiting on the database. No key is ever sent anywhere.
 */
public final class Auth implements Filter {

  /** Checks a presented key that is not the master key: {@code KeyPlatform::authenticate}. */
  @FunctionalInterface
  public interface VirtualKeys {
    Authentication authenticate(String secret);
  }

  public static final HeaderName API_KEY = HeaderNames.create("x-api-key");
  private static final String BEARER = "Bearer ";

  private final @Nullable String masterKey;
  private final @Nullable VirtualKeys virtualKeys;
  private final GatewayError missingKey;

  /** @param masterKey the key every request must carry, or null to let every request through */
  public Auth(@Nullable String masterKey) {
    this(masterKey, null);
  }

  /**
   * @param masterKey the administrator's key, or null to let every request through
   * @param virtualKeys checks any other key presented, or null when the gateway has no virtual keys
   */
  public Auth(@Nullable String masterKey, @Nullable VirtualKeys virtualKeys) {
    this.masterKey = masterKey == null || masterKey.isEmpty() ? null : masterKey;
    this.virtualKeys = virtualKeys;
    this.missingKey = virtualKeys == null ? GatewayError.unauthorized()
        : new GatewayError(401, "invalid_request_error", "invalid_api_key",
            "Invalid or missing API key: send \"Authorization: Bearer <key>\" (or \"x-api-key: <key>\") with a virtual"
                + " key (sk-baton-...) or the gateway's master key", null, false);
  }

  @Override
  public void handle(Exchange exchange, Chain chain) {
    if (masterKey == null) {
      exchange.caller(Caller.ANONYMOUS);
    } else if (carriesMasterKey(exchange.http())) {
      exchange.caller(Caller.MASTER);
    } else {
      exchange.caller(virtualKey(exchange.http()));
    }
    chain.proceed();
  }

  private Caller virtualKey(HttpCall http) {
    String presented = presentedKey(http);
    if (presented == null || virtualKeys == null) {
      throw missingKey;
    }
    return switch (virtualKeys.authenticate(presented)) {
      case Authentication.Accepted accepted -> new VirtualKeyCaller(accepted.key());
      case Authentication.Refused refused -> throw GatewayError.of(refused.refusal());
    };
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

  /** The key a request carries: its bearer token, else its {@code x-api-key}; null when it carries none. */
  public static @Nullable String presentedKey(HttpCall http) {
    String authorization = http.header(HeaderNames.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      String token = authorization.substring(BEARER.length()).strip();
      if (!token.isEmpty()) {
        return token;
      }
    }
    String apiKey = http.header(API_KEY);
    return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
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
