package dev.baton.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake of Google's OAuth token endpoint ({@code https://oauth2.googleapis.com/token}) over real HTTP,
 * and the credentials files that point at it. It does what the real one is documented to do with a
 * service account's JWT bearer grant: checks the RS256 signature against the key pair it generated, the
 * claims ({@code iss}, {@code aud} = its own URL, the {@code cloud-platform} scope, a lifetime of at most
 * an hour), and answers {@code {"access_token","expires_in","token_type":"Bearer"}} — or Google's
 * {@code invalid_grant} errors. User credentials ({@code authorized_user}) trade their refresh token.
 *
 * <p>Every token it issues stays valid until {@link #revokeAll()}, so a fake Vertex AI can answer 401 to
 * a request whose bearer token it never issued ({@link #isValid}).
 */
public final class FakeGoogleAuth implements AutoCloseable {

  public static final String CLIENT_EMAIL = "baton-test@baton-project.iam.gserviceaccount.com";
  public static final String PROJECT = "baton-project";
  public static final String KEY_ID = "5b3a9f0c1d2e4f6a7b8c9d0e1f2a3b4c5d6e7f80";
  public static final String CLIENT_ID = "764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com";
  public static final String CLIENT_SECRET = "d-FL95Q19q7MQmFpd7hHD0Ty";
  public static final String REFRESH_TOKEN = "1//0gfake-refresh-token-for-baton-tests";
  static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final Pattern CLAIM = Pattern.compile("\"(\\w+)\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");

  private final FakeUpstream server = FakeUpstream.start();
  private final KeyPair keys;
  private final AtomicInteger issued = new AtomicInteger();
  private final Set<String> valid = ConcurrentHashMap.newKeySet();
  private final List<Map<String, String>> assertions = new CopyOnWriteArrayList<>();
  private volatile long expiresIn = 3599;

  private FakeGoogleAuth() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      this.keys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    server.respond(this::answer);
  }

  public static FakeGoogleAuth start() {
    return new FakeGoogleAuth();
  }

  /** The {@code token_uri} the credentials files name. */
  public String tokenUri() {
    return server.url("/token");
  }

  /** The server itself, to queue failures ({@code server().enqueue(...)}) or read the requests. */
  public FakeUpstream server() {
    return server;
  }

  /** How long the next tokens live, in seconds ({@code expires_in}); Google's is 3599. */
  public FakeGoogleAuth expiresIn(long seconds) {
    this.expiresIn = seconds;
    return this;
  }

  /** How many tokens it has issued. */
  public int tokensIssued() {
    return issued.get();
  }

  /** The {@code n}th token it issues (from 1), as it will be written. */
  public static String token(int n) {
    return "ya29.c.fake-access-token-" + n;
  }

  /** Whether {@code authorization} is {@code Bearer <a token this endpoint issued>}. */
  public boolean isValid(String authorization) {
    return authorization != null && authorization.startsWith("Bearer ") && valid.contains(authorization.substring(7));
  }

  /** Forgets every token issued, as if they had expired. */
  public void revokeAll() {
    valid.clear();
  }

  /** The claims of every JWT assertion received, in order. */
  public List<Map<String, String>> assertions() {
    return List.copyOf(assertions);
  }

  /** Writes a service-account key file, as the Google Cloud console downloads it, pointing at this endpoint. */
  public Path writeServiceAccount(Path dir) {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    String json = """
        {
          "type": "service_account",
          "project_id": "%s",
          "private_key_id": "%s",
          "private_key": %s,
          "client_email": "%s",
          "client_id": "104917432168531223456",
          "auth_uri": "https://accounts.google.com/o/oauth2/auth",
          "token_uri": "%s",
          "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
          "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/baton-test%%40baton-project.iam.gserviceaccount.com",
          "universe_domain": "googleapis.com"
        }
        """.formatted(PROJECT, KEY_ID, OpenAiFixtures.quote(pem), CLIENT_EMAIL, tokenUri());
    return write(dir.resolve("service-account.json"), json);
  }

  /**
   * Writes the user credentials {@code gcloud auth application-default login} leaves; they name no
   * {@code token_uri}, so this one's must be given as the {@code token_uri} Baton may not assume.
   */
  public Path writeAuthorizedUser(Path dir) {
    String json = """
        {
          "account": "",
          "client_id": "%s",
          "client_secret": "%s",
          "quota_project_id": "%s",
          "refresh_token": "%s",
          "token_uri": "%s",
          "type": "authorized_user",
          "universe_domain": "googleapis.com"
        }
        """.formatted(CLIENT_ID, CLIENT_SECRET, PROJECT, REFRESH_TOKEN, tokenUri());
    return write(dir.resolve("application_default_credentials.json"), json);
  }

  private static Path write(Path file, String json) {
    try {
      return Files.writeString(file, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private Reply answer(RecordedRequest request) {
    if (!request.method().equals("POST") || !request.path().equals("/token")) {
      return Reply.json(404, "{\"error\":\"not_found\"}");
    }
    if (!String.valueOf(request.header("content-type")).startsWith("application/x-www-form-urlencoded")) {
      return invalidRequest("Invalid request: expected a form body");
    }
    Map<String, String> form = form(request.bodyText());
    String grant = form.get("grant_type");
    if (JWT_BEARER.equals(grant)) {
      return jwtBearer(form.get("assertion"));
    }
    if ("refresh_token".equals(grant)) {
      if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
        return Reply.json(401, "{\"error\":\"invalid_client\",\"error_description\":\"Unauthorized\"}");
      }
      if (!REFRESH_TOKEN.equals(form.get("refresh_token"))) {
        return invalidGrant("Bad Request");
      }
      return issue();
    }
    return Reply.json(400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"Invalid grant_type: "
        + grant + "\"}");
  }

  private Reply jwtBearer(String assertion) {
    String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
    if (parts.length != 3) {
      return invalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
          + " timeframe. Check your iat and exp values in the JWT claim.");
    }
    try {
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(keys.getPublic());
      rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
        return invalidGrant("Invalid JWT Signature.");
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return invalidGrant("Invalid JWT Signature.");
    }
    Map<String, String> header = claims(parts[0]);
    Map<String, String> claims = claims(parts[1]);
    assertions.add(claims);
    if (!"RS256".equals(header.get("alg"))) {
      return invalidGrant("Invalid JWT: unsupported algorithm " + header.get("alg"));
    }
    if (!CLIENT_EMAIL.equals(claims.get("iss"))) {
      return invalidGrant("Invalid grant: account not found");
    }
    if (!tokenUri().equals(claims.get("aud"))) {
      return invalidGrant("Invalid JWT audience.");
    }
    if (!String.valueOf(claims.get("scope")).contains("https://www.googleapis.com/auth/cloud-platform")) {
      return invalidRequest("Invalid OAuth scope or ID token audience provided.");
    }
    long iat = Long.parseLong(claims.getOrDefault("iat", "0"));
    long exp = Long.parseLong(claims.getOrDefault("exp", "0"));
    if (exp <= iat || exp - iat > 3600) {
      return invalidGrant("Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable"
          + " timeframe. Check your iat and exp values in the JWT claim.");
    }
    return issue();
  }

  private Reply issue() {
    String token = token(issued.incrementAndGet());
    valid.add(token);
    return Reply.json(200, "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn
        + ",\"token_type\":\"Bearer\"}");
  }

  private static Reply invalidGrant(String description) {
    return Reply.json(400, "{\"error\":\"invalid_grant\",\"error_description\":" + OpenAiFixtures.quote(description)
        + "}");
  }

  private static Reply invalidRequest(String description) {
    return Reply.json(400, "{\"error\":\"invalid_request\",\"error_description\":"
        + OpenAiFixtures.quote(description) + "}");
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  /** The string and number members of a flat JSON object, base64url-encoded as in a JWT. */
  private static Map<String, String> claims(String base64url) {
    String json = new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
    Map<String, String> claims = new LinkedHashMap<>();
    Matcher m = CLAIM.matcher(json);
    while (m.find()) {
      claims.put(m.group(1), m.group(2) != null ? m.group(2).replace("\\/", "/") : m.group(3));
    }
    return claims;
  }
}
