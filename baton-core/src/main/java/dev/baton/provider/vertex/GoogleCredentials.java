package dev.baton.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.ConfigException;
import dev.baton.config.Secret;
import dev.baton.wire.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * A Google credentials file, as {@code GOOGLE_APPLICATION_CREDENTIALS} names one: a service-account key
 * ({@code "type": "service_account"}: an RSA key that signs the token request), or the user credentials
 * {@code gcloud auth application-default login} writes ({@code "type": "authorized_user"}: a refresh
 * token). Read once at start-up; any problem is a {@link ConfigException} naming the file, and no part of
 * a key ever appears in a message.
 *
 * @param file where it was read from, for messages
 * @param type {@code service_account} or {@code authorized_user}
 * @param tokenUri where access tokens are fetched: the file's {@code token_uri}, else Google's
 * @param account who the tokens are for, for messages: the service account's e-mail or the OAuth client id
 * @param projectId the project the file names ({@code project_id}, else {@code quota_project_id}), or null
 * @param signingKey a service account's private key; null for user credentials
 * @param keyId a service account's {@code private_key_id}, named in the token request's header
 * @param clientSecret user credentials' OAuth client secret
 * @param refreshToken user credentials' refresh token
 */
record GoogleCredentials(
    Path file,
    String type,
    URI tokenUri,
    String account,
    @Nullable String projectId,
    @Nullable PrivateKey signingKey,
    @Nullable String keyId,
    @Nullable Secret clientSecret,
    @Nullable Secret refreshToken) {

  static final String SERVICE_ACCOUNT = "service_account";
  static final String AUTHORIZED_USER = "authorized_user";
  /** Google's OAuth token endpoint, for files that name none (user credentials do not). */
  static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";

  @Override
  public String toString() {
    return "GoogleCredentials[" + type + " " + account + " from " + file + "]";
  }

  /**
   * Reads a credentials file.
   *
   * @param origin where the deployment was defined, such as {@code baton.yaml:12: models[0] 'smart'}
   * @param from how the file was named, such as {@code vertex_credentials} or {@code GOOGLE_APPLICATION_CREDENTIALS}
   */
  static GoogleCredentials read(Path file, String origin, String from) {
    String where = origin + ": the Vertex AI credentials file " + file + " (from " + from + ")";
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(where + " does not exist");
    } catch (IOException | SecurityException e) {
      throw new ConfigException(where + " cannot be read: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
    JsonNode root;
    try {
      root = Json.parse(bytes);
    } catch (IOException e) {
      throw new ConfigException(where + " is not JSON; expected a service-account key file as the Google Cloud"
          + " console downloads it");
    }
    if (!root.isObject()) {
      throw new ConfigException(where + " is not a JSON object; expected a service-account key file");
    }
    String type = Json.text(root, "type");
    if (SERVICE_ACCOUNT.equals(type)) {
      return serviceAccount(file, root, where);
    }
    if (AUTHORIZED_USER.equals(type)) {
      return authorizedUser(file, root, where);
    }
    throw new ConfigException(where + " has type '" + type + "'; Baton reads 'service_account' keys and"
        + " 'authorized_user' credentials (gcloud auth application-default login)");
  }

  private static GoogleCredentials serviceAccount(Path file, JsonNode root, String where) {
    String email = required(root, "client_email", where);
    String pem = required(root, "private_key", where);
    URI tokenUri = tokenUri(root, where);
    return new GoogleCredentials(file, SERVICE_ACCOUNT, tokenUri, email, Json.text(root, "project_id"),
        privateKey(pem, where), Json.text(root, "private_key_id"), null, null);
  }

  private static GoogleCredentials authorizedUser(Path file, JsonNode root, String where) {
    String clientId = required(root, "client_id", where);
    Secret clientSecret = Secret.of(required(root, "client_secret", where));
    Secret refreshToken = Secret.of(required(root, "refresh_token", where));
    return new GoogleCredentials(file, AUTHORIZED_USER, tokenUri(root, where), clientId,
        Json.text(root, "quota_project_id"), null, null, clientSecret, refreshToken);
  }

  private static URI tokenUri(JsonNode root, String where) {
    String text = Json.text(root, "token_uri");
    if (text == null || text.isBlank()) {
      text = GOOGLE_TOKEN_URI;
    }
    try {
      URI uri = new URI(text.strip());
      if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
        throw new ConfigException(where + " has a token_uri that is not an http(s) URL: " + text);
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(where + " has a token_uri that is not a URL: " + text);
    }
  }

  private static String required(JsonNode root, String field, String where) {
    String value = Json.text(root, field);
    if (value == null || value.isBlank()) {
      throw new ConfigException(where + " has no " + field);
    }
    return value;
  }

  /** A PKCS#8 RSA key in PEM, as service-account files hold it. */
  private static PrivateKey privateKey(String pem, String where) {
    String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
    if (pem.contains("BEGIN RSA PRIVATE KEY")) {
      throw new ConfigException(where + " holds a PKCS#1 key (BEGIN RSA PRIVATE KEY); a service-account file"
          + " holds PKCS#8 (BEGIN PRIVATE KEY)");
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      // The exception's own text could quote the key; only its kind is reported.
      throw new ConfigException(where + " has a private_key that is not a PKCS#8 RSA key ("
          + e.getClass().getSimpleName() + ")");
    }
  }
}
