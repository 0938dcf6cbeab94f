package dev.baton.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.AuthenticationException;
import dev.baton.UnreadableResponseException;
import dev.baton.UpstreamException;
import dev.baton.provider.Call;
import dev.baton.provider.ErrorDetails;
import dev.baton.provider.UpstreamErrors;
import dev.baton.transport.HttpResult;
import dev.baton.transport.HttpTransport;
import dev.baton.transport.RetryAfter;
import dev.baton.wire.Json;
import dev.baton.wire.OpenAiErrorReader;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth access tokens for Vertex AI, fetched from the credentials' {@code token_uri} and kept until shortly
 * before they expire. A service account proves itself with a JWT it signs with its RSA key (RS256, the
 * JDK's own {@code SHA256withRSA}: the OAuth 2.0 JWT bearer grant); user credentials send their refresh
 * token. Requests read the cached token without a lock; in the last minutes of its life one background
 * refresh replaces it, so no request waits for a token that is still good. Only when there is none, or it
 * has expired, does a request fetch one itself — within its own time limits — while the others wait.
 */
final class AccessTokens {

  private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);

  /** What the tokens may do: all of Google Cloud, as Vertex AI's own clients ask. */
  static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  /** How long a signed assertion is valid; Google accepts at most an hour. */
  private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
  /** A token is renewed this long before it expires (or halfway through a shorter life). */
  static final Duration REFRESH_MARGIN = Duration.ofMinutes(5);
  /** After a failed background refresh, the next is not tried sooner than this. */
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(10);
  private static final Duration BACKGROUND_TIMEOUT = Duration.ofSeconds(30);
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  /** A token and when to renew it and give it up, in the clock's epoch milliseconds. */
  private record Token(String value, long refreshAt, long expiresAt) {}

  private final GoogleCredentials credentials;
  private final HttpTransport http;
  private final Clock clock;
  private final String deployment;
  private final ReentrantLock fetching = new ReentrantLock();
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile @Nullable Token current;
  private volatile long nextBackgroundTry;

  AccessTokens(GoogleCredentials credentials, HttpTransport http, Clock clock, String deployment) {
    this.credentials = credentials;
    this.http = http;
    this.clock = clock;
    this.deployment = deployment;
  }

  /** The token currently held, if any: so a message that echoes it can be cleaned. */
  @Nullable String held() {
    Token token = current;
    return token == null ? null : token.value;
  }

  /**
   * A valid access token: the cached one, or a new one fetched within {@code call}'s time limits.
   *
   * @throws AuthenticationException when the token endpoint refuses the credentials
   */
  String token(Call call) {
    Token token = current;
    long now = clock.millis();
    if (token != null && now < token.refreshAt) {
      return token.value;
    }
    if (token != null && now < token.expiresAt) {
      refreshInBackground(token, now);
      return token.value;
    }
    return fetchWaiting(call);
  }

  private String fetchWaiting(Call call) {
    try {
      if (!fetching.tryLock(Math.max(0, call.responseDeadline() - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw call.timedOut(dev.baton.UpstreamTimeoutException.Phase.RESPONSE, call.responseDeadline());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for a Vertex AI access token");
    }
    try {
      Token token = current;
      if (token != null && clock.millis() < token.expiresAt) {
        return token.value; // another request fetched it while this one waited
      }
      Token fresh = fetch(call);
      current = fresh;
      return fresh.value;
    } finally {
      fetching.unlock();
    }
  }

  private void refreshInBackground(Token stale, long now) {
    if (now < nextBackgroundTry || !refreshing.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual().name("vertex-token-refresh").start(() -> {
      try {
        Call call = new Call(deployment, VertexFactory.NAME, BACKGROUND_TIMEOUT, BACKGROUND_TIMEOUT,
            BACKGROUND_TIMEOUT, Long.MAX_VALUE);
        fetching.lock();
        try {
          if (current == stale) {
            current = fetch(call);
          }
        } finally {
          fetching.unlock();
        }
      } catch (RuntimeException e) {
        nextBackgroundTry = clock.millis() + RETRY_PAUSE.toMillis();
        log.warn("could not renew the Vertex AI access token for {} (it is still valid; trying again soon): {}",
            deployment, e.getMessage());
      } finally {
        refreshing.set(false);
      }
    });
  }

  /** Asks the token endpoint for a new token. */
  private Token fetch(Call call) {
    long issued = clock.millis();
    HttpResult result = http.send(call, HttpTransport.request(credentials.tokenUri())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpTransport.body(form(issued).getBytes(StandardCharsets.US_ASCII)))
        .build());
    if (!result.isSuccess()) {
      throw refused(call, result);
    }
    JsonNode root = call.json(result.body());
    String value = Json.text(root, "access_token");
    long lifetimeSeconds = root.path("expires_in").asLong(0);
    if (value == null || value.isBlank() || lifetimeSeconds <= 0) {
      throw new UnreadableResponseException(call.source(200, null, null), "the token endpoint "
          + credentials.tokenUri() + " answered without an access_token and expires_in");
    }
    long lifetime = lifetimeSeconds * 1000;
    long margin = Math.min(REFRESH_MARGIN.toMillis(), lifetime / 2);
    return new Token(value, issued + lifetime - margin, issued + lifetime);
  }

  /** The token request's form: a signed assertion for a service account, the refresh token for a user. */
  private String form(long nowMillis) {
    if (credentials.signingKey() == null) {
      return "grant_type=refresh_token"
          + "&client_id=" + encode(credentials.account())
          + "&client_secret=" + encode(credentials.clientSecret().reveal())
          + "&refresh_token=" + encode(credentials.refreshToken().reveal());
    }
    return "grant_type=" + encode(JWT_BEARER) + "&assertion=" + assertion(nowMillis / 1000);
  }

  /** The JWT a service account signs: who it is, what it wants, for whom, and until when. */
  String assertion(long nowSeconds) {
    var header = Json.MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
    if (credentials.keyId() != null) {
      header.put("kid", credentials.keyId());
    }
    var claims = Json.MAPPER.createObjectNode()
        .put("iss", credentials.account())
        .put("scope", SCOPE)
        .put("aud", credentials.tokenUri().toString())
        .put("iat", nowSeconds)
        .put("exp", nowSeconds + ASSERTION_LIFETIME.toSeconds());
    String signed = base64(header.toString()) + "." + base64(claims.toString());
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(credentials.signingKey());
      rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
      return signed + "." + BASE64URL.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot sign with SHA256withRSA", e);
    }
  }

  /**
   * The failure for a refused token request. A 4xx means these credentials will not get a token (a revoked
   * key, a deleted service account, a wrong clock): an authentication failure, so the router falls back
   * rather than passing on a "bad request" the caller did not make. Throttles and server faults keep
   * their usual classes.
   */
  private UpstreamException refused(Call call, HttpResult result) {
    ErrorDetails details = tokenError(result.body());
    int status = result.status();
    if (status == 429 || status >= 500 || status == 408) {
      return UpstreamErrors.classify(call, status, RetryAfter.parse(result.headers()), details, held());
    }
    String message = "the token endpoint " + credentials.tokenUri() + " refused the credentials of "
        + credentials.account() + " (" + credentials.file() + "): " + status
        + (details.primaryCode() == null ? "" : " " + details.primaryCode())
        + (details.message() == null ? "" : ": " + details.message());
    return new AuthenticationException(call.source(status, details.primaryCode(), null), message);
  }

  /** OAuth's error shape, {@code {"error":"invalid_grant","error_description":"..."}}, or Google's. */
  private static ErrorDetails tokenError(byte[] body) {
    try {
      JsonNode root = Json.parse(body);
      JsonNode error = root.get("error");
      if (error != null && error.isTextual()) {
        return ErrorDetails.of(Json.text(root, "error_description"), error.textValue());
      }
      return OpenAiErrorReader.read(root);
    } catch (IOException e) {
      return ErrorDetails.of(OpenAiErrorReader.plainText(body));
    }
  }

  private static String base64(String json) {
    return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
