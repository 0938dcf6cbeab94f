package dev.baton.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.server.door.FrontDoor;
import dev.baton.server.door.OpenAiErrors;
import dev.baton.server.door.Route;
import dev.baton.server.pipeline.Caller;
import dev.baton.server.pipeline.Endpoint;
import dev.baton.server.pipeline.ErrorShape;
import dev.baton.server.pipeline.Exchange;
import dev.baton.server.pipeline.GatewayError;
import dev.baton.server.pipeline.HttpCall;
import dev.baton.wire.Json;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code /ui}: the admin web UI (contract section 11), served by the gateway itself with every file it needs
 * ({@link UiAssets}; it works with no network), and its sign-in: {@code GET/POST/DELETE /ui/session}.
 * The page's script reads and changes everything through {@code /admin} with the session's cookie
 * ({@link Sessions}); it never sees the master key again after the sign-in form.
 *
 * <p>Every answer carries a {@code Content-Security-Policy} that lets the page run only the gateway's own
 * script files and style sheets — no inline script, no inline style, no {@code eval} — talk only to the
 * gateway, and never be framed; and Trusted Types, so no string can ever be parsed as HTML by the page
 * (the script builds every element from text; a key named {@code <script>} shows as those characters).
 */
public final class UiDoor implements FrontDoor, Endpoint {

  /** The page's policy, in one place: the tests read it back from the header. */
  public static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
      "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'", "require-trusted-types-for 'script'",
      "trusted-types 'none'");
  private static final List<Header> SECURITY_HEADERS = List.of(
      HeaderValues.createCached(HeaderNames.create("Content-Security-Policy"), CONTENT_SECURITY_POLICY),
      HeaderValues.createCached(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff"),
      HeaderValues.createCached(HeaderNames.create("Referrer-Policy"), "no-referrer"),
      HeaderValues.createCached(HeaderNames.create("X-Frame-Options"), "DENY"),
      HeaderValues.createCached(HeaderNames.create("Cross-Origin-Opener-Policy"), "same-origin"),
      HeaderValues.createCached(HeaderNames.create("Cross-Origin-Resource-Policy"), "same-origin"));
  private static final HeaderName FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");
  private static final int MAX_SIGN_IN_BODY = 8192;
  private static final byte[] SIGNED_OUT = "{\"signed_in\":false}".getBytes(StandardCharsets.UTF_8);

  private final Sessions sessions;
  private final UiAssets assets = UiAssets.load();

  public UiDoor(Sessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        new Route(Method.GET, "/ui", this),
        new Route(Method.GET, "/ui/", this),
        new Route(Method.GET, "/ui/assets/{file}", this),
        new Route(Method.GET, "/ui/session", this),
        new Route(Method.POST, "/ui/session", this),
        new Route(Method.DELETE, "/ui/session", this));
  }

  @Override
  public ErrorShape errors() {
    return OpenAiErrors.SHAPE;
  }

  @Override
  public void answer(Exchange exchange) throws IOException {
    HttpCall http = exchange.http();
    SECURITY_HEADERS.forEach(http::header);
    switch (exchange.route()) {
      case "/ui", "/ui/" -> file(http, assets.page(), false);
      case "/ui/assets/{file}" -> {
        String name = http.pathParameter("file");
        UiAssets.Asset asset = name == null ? null : assets.asset(name);
        if (asset == null) {
          throw GatewayError.unknownRoute(http.method(), http.path());
        }
        file(http, asset, asset.hash().equals(http.query("v")));
      }
      case "/ui/session" -> session(exchange);
      default -> throw GatewayError.unknownRoute(http.method(), http.path());
    }
  }

  /** What the page and its files weigh gzipped. */
  public long pageWeight() {
    return assets.gzippedWeight();
  }

  /**
   * Sends a file, gzipped when the browser takes it. A file asked for by its current hash never changes,
   * so the browser keeps it; the page itself is checked again each time (its ETag makes that a 304).
   */
  private static void file(HttpCall http, UiAssets.Asset asset, boolean versioned) {
    String etag = "\"" + asset.hash() + "\"";
    http.header(HeaderNames.ETAG, etag);
    http.header(HeaderNames.CACHE_CONTROL, versioned ? "public, max-age=31536000, immutable" : "no-cache");
    http.header(HeaderNames.VARY, "Accept-Encoding");
    if (etag.equals(http.header(HeaderNames.IF_NONE_MATCH))) {
      http.status(304);
      http.send(new byte[0]);
      return;
    }
    http.header(HeaderNames.CONTENT_TYPE, asset.contentType());
    String accepted = http.header(HeaderNames.ACCEPT_ENCODING);
    if (accepted != null && accepted.contains("gzip")) {
      http.header(HeaderNames.CONTENT_ENCODING, "gzip");
      http.send(asset.gzipped());
    } else {
      http.send(asset.body());
    }
  }

  private void session(Exchange exchange) throws IOException {
    HttpCall http = exchange.http();
    http.header(HeaderNames.CACHE_CONTROL, "no-store");
    switch (http.method()) {
      case "GET" -> {
        // Not signed in is an answer here, not an error: the page asks this first, every time.
        Sessions.Session session = sessions.find(http);
        if (session == null) {
          http.header(HeaderValues.CONTENT_TYPE_JSON);
          http.send(SIGNED_OUT);
          return;
        }
        exchange.caller(Caller.MASTER);
        json(http, session);
      }
      case "POST" -> {
        Sessions.SignedIn signedIn = sessions.signIn(http, presentedKey(exchange.body()));
        exchange.caller(Caller.MASTER);
        http.header(HeaderNames.SET_COOKIE,
            Sessions.cookieFor(signedIn, "https".equalsIgnoreCase(http.header(FORWARDED_PROTO))));
        json(http, signedIn.session());
      }
      case "DELETE" -> {
        if (sessions.find(http) != null) {
          sessions.signOut(sessions.authorize(http));
        }
        http.header(HeaderNames.SET_COOKIE, Sessions.clearedCookie());
        http.header(HeaderValues.CONTENT_TYPE_JSON);
        http.send(SIGNED_OUT);
      }
      default -> throw GatewayError.methodNotAllowed(http.method(), http.path(), "GET, POST, DELETE");
    }
  }

  /** The sign-in form's {@code {"master_key": "..."}}. */
  private static @Nullable String presentedKey(byte[] body) {
    if (body.length > MAX_SIGN_IN_BODY) {
      throw badSignIn("The sign-in body is too large.");
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw badSignIn("The sign-in body must be JSON: {\"master_key\": \"...\"}.");
    }
    if (json == null || !json.isObject() || !json.path("master_key").isTextual()) {
      throw badSignIn("The sign-in body must be {\"master_key\": \"...\"}.");
    }
    String key = json.path("master_key").asText().strip();
    return key.isEmpty() ? null : key;
  }

  private static GatewayError badSignIn(String message) {
    return new GatewayError(400, "invalid_request_error", "invalid_field", message, "master_key", null, List.of(),
        false);
  }

  private static void json(HttpCall http, Sessions.Session session) {
    http.header(HeaderValues.CONTENT_TYPE_JSON);
    http.send(Json.MAPPER.createObjectNode().put("signed_in", true).put("csrf_token", session.csrfToken())
        .put("expires_at", session.expiresAt().toString()).toString().getBytes(StandardCharsets.UTF_8));
  }
}
