package dev.baton.server.ui;

import dev.baton.config.Secret;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.server.pipeline.HttpCall;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The admin UI's sign-in sessions, held on the server. Signing in with the master key makes a session with
 * a random id (256 bits from {@link SecureRandom}); the browser holds only that id, in the cookie
 * {@value #COOKIE} ({@code HttpOnly; SameSite=Strict; Path=/}), never the key. The server keeps the id's
 * SHA-256, so a memory dump does not hand out live sessions. A session ends when it is signed out, after
 * {@link #IDLE} unused or {@link #LIFETIME} after sign-in, whichever comes first.
 *
 * <p><b>CSRF.</b> Every state-changing call made with a session (anything but GET and HEAD) must carry the
 * session's own token in {@code X-CSRF-Token} (a second random value, handed to the page by
 * {@code GET /ui/session}, never in a cookie), and must not come from another site: an {@code Origin}
 * header, when present, must name this host, and {@code Sec-Fetch-Site}, when present, must say
 * {@code same-origin}. With the {@code SameSite=Strict} cookie that is three locks; any one stops a forged
 * request. Sign-in itself checks the origin too (no signing a victim into the attacker's session).
 *
 * <p><b>Guessing.</b> The master key is compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * in constant time whatever its length, and wrong keys are throttled per client address
 * ({@link SignInThrottle}).
 */
public final class Sessions {

  public static final String COOKIE = "baton_session";
  public static final HeaderName CSRF_HEADER = HeaderNames.create("X-CSRF-Token");
  static final Duration IDLE = Duration.ofHours(1);
  static final Duration LIFETIME = Duration.ofHours(12);
  /** Sessions kept at most; signing in past it ends the least recently used. */
  static final int MAX_SESSIONS = 1000;
  private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");

  private final byte @Nullable [] masterDigest;
  private final InstantSource clock;
  private final SignInThrottle throttle;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Session> byIdHash = new ConcurrentHashMap<>();

  /** A signed-in browser. */
  public static final class Session {
    private final String idHash;
    private final String csrfToken;
    private final Instant expiresAt;
    private volatile long lastUsed;

    private Session(String idHash, String csrfToken, Instant expiresAt, long lastUsed) {
      this.idHash = idHash;
      this.csrfToken = csrfToken;
      this.expiresAt = expiresAt;
      this.lastUsed = lastUsed;
    }

    /** The token state-changing calls must carry in {@code X-CSRF-Token}. */
    public String csrfToken() {
      return csrfToken;
    }

    /** When the session ends at the latest (its cookie's expiry). */
    public Instant expiresAt() {
      return expiresAt;
    }
  }

  /** A new session: the cookie's value (the session id, shown to nobody else) and the session. */
  public record SignedIn(String cookieValue, Session session) {}

  /** @param masterKey {@code server.master_key}; without one nobody can sign in */
  public Sessions(@Nullable Secret masterKey, InstantSource clock) {
    this.masterDigest = masterKey == null || masterKey.isEmpty() ? null : sha256(masterKey.reveal());
    this.clock = clock;
    this.throttle = new SignInThrottle(clock);
  }

  /**
   * Signs in with a presented master key.
   *
   * @throws GatewayError 403 without a master key configured, 429 while this client is throttled, 401 for a
   *     wrong key
   */
  public SignedIn signIn(HttpCall http, @Nullable String presentedKey) {
    if (masterDigest == null) {
      throw new GatewayError(403, "permission_error", "admin_disabled",
          "The admin UI needs a master key: set server.master_key.", null, false);
    }
    sameSite(http);
    String client = http.remoteAddress() == null ? "unknown" : http.remoteAddress();
    Duration wait = throttle.wait(client);
    if (wait != null) {
      throw new GatewayError(429, "rate_limit_error", "too_many_sign_in_attempts",
          "Too many wrong keys; try again in " + Math.max(1, (wait.toMillis() + 999) / 1000) + "s.", wait, false);
    }
    if (presentedKey == null || !MessageDigest.isEqual(sha256(presentedKey), masterDigest)) {
      throttle.failed(client);
      throw new GatewayError(401, "invalid_request_error", "invalid_api_key",
          "That is not the gateway's master key.", null, false);
    }
    String id = randomToken();
    Instant now = clock.instant();
    Session session = new Session(idHash(id), randomToken(), now.plus(LIFETIME), now.toEpochMilli());
    makeRoom(now);
    byIdHash.put(session.idHash, session);
    return new SignedIn(id, session);
  }

  /** The live session whose cookie this request carries, or null; using it keeps it from going idle. */
  public @Nullable Session find(HttpCall http) {
    String id = cookie(http.header(HeaderNames.COOKIE));
    if (id == null) {
      return null;
    }
    Session session = byIdHash.get(idHash(id));
    if (session == null) {
      return null;
    }
    Instant now = clock.instant();
    if (expired(session, now)) {
      byIdHash.remove(session.idHash, session);
      return null;
    }
    session.lastUsed = now.toEpochMilli();
    return session;
  }

  /** Whether the request carries this UI's session cookie at all (a live one or not). */
  public static boolean carriesCookie(HttpCall http) {
    return cookie(http.header(HeaderNames.COOKIE)) != null;
  }

  /**
   * The session a request is made with, if it may go on; else throws: 401 without a live session, 403 for
   * a state-changing request (not GET or HEAD) without the session's CSRF token or from another site.
   */
  public Session authorize(HttpCall http) {
    Session session = find(http);
    if (session == null) {
      throw notSignedIn();
    }
    String method = http.method();
    if (method.equals("GET") || method.equals("HEAD")) {
      return session;
    }
    sameSite(http);
    String token = http.header(CSRF_HEADER);
    if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        session.csrfToken.getBytes(StandardCharsets.UTF_8))) {
      throw new GatewayError(403, "permission_error", "csrf_token_invalid",
          "A change made with the UI's session needs its token in X-CSRF-Token.", null, false);
    }
    return session;
  }

  private static GatewayError notSignedIn() {
    return new GatewayError(401, "invalid_request_error", "not_signed_in",
        "Not signed in, or the session has ended: sign in with the master key.", null, false);
  }

  /** Ends a session. */
  public void signOut(Session session) {
    byIdHash.remove(session.idHash, session);
  }

  /**
   * The {@code Set-Cookie} value that hands a new session to the browser.
   *
   * @param secure whether the browser reached the gateway over HTTPS (through a proxy that says so in
   *     {@code X-Forwarded-Proto}): then the cookie is never sent over plain HTTP
   */
  public static String cookieFor(SignedIn signedIn, boolean secure) {
    return COOKIE + "=" + signedIn.cookieValue() + "; Path=/; Max-Age=" + LIFETIME.toSeconds()
        + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }

  /** The {@code Set-Cookie} value that removes the session's cookie. */
  public static String clearedCookie() {
    return COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
  }

  /** Live sessions, for tests and diagnostics. */
  int size() {
    return byIdHash.size();
  }

  /** Refuses a request another site made the browser send: its Origin names another host, or the browser says so. */
  private static void sameSite(HttpCall http) {
    String site = http.header(SEC_FETCH_SITE);
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      throw crossSite("Sec-Fetch-Site: " + site);
    }
    String origin = http.header(HeaderNames.ORIGIN);
    if (origin != null) {
      String host = http.header(HeaderNames.HOST);
      int scheme = origin.indexOf("://");
      String authority = scheme < 0 ? origin : origin.substring(scheme + 3);
      if (host == null || !authority.equalsIgnoreCase(host)) {
        throw crossSite("Origin " + origin + " is not this gateway");
      }
    }
  }

  private static GatewayError crossSite(String why) {
    return new GatewayError(403, "permission_error", "cross_site_request",
        "Refused a cross-site request (" + why + ").", null, false);
  }

  private boolean expired(Session session, Instant now) {
    return !now.isBefore(session.expiresAt) || now.toEpochMilli() - session.lastUsed >= IDLE.toMillis();
  }

  /** Forgets expired sessions and, at the limit, the least recently used. */
  private void makeRoom(Instant now) {
    byIdHash.values().removeIf(s -> expired(s, now));
    while (byIdHash.size() >= MAX_SESSIONS) {
      byIdHash.values().stream().min(Comparator.comparingLong(s -> s.lastUsed))
          .ifPresent(oldest -> byIdHash.remove(oldest.idHash, oldest));
    }
  }

  /** The session id in a {@code Cookie} header, or null. */
  private static @Nullable String cookie(@Nullable String header) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      String pair = part.strip();
      if (pair.startsWith(COOKIE + "=")) {
        String value = pair.substring(COOKIE.length() + 1);
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String idHash(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(id));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
