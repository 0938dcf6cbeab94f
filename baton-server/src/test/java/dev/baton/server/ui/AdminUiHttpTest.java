package dev.baton.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.wire.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin UI's server side over real HTTP, without a browser: the sign-in session and its cookie, CSRF,
 * throttling, the live routes ({@code /admin/stats}, {@code /admin/deployments}, {@code /admin/events}) and
 * how the page's files are served.
 */
class AdminUiHttpTest {

  @TempDir
  static Path dataDir;

  static UiGateway gateway;

  @BeforeAll
  static void start() {
    gateway = new UiGateway(dataDir);
  }

  @AfterAll
  static void stop() {
    gateway.close();
  }

  /** A signed-in browser, as the server sees it: the cookie to send and the CSRF token. */
  record Session(String cookie, String csrf, HttpResponse<String> answer) {}

  static Session signIn(UiGateway on) throws Exception {
    HttpResponse<String> answer = on.send("POST", "/ui/session",
        "{\"master_key\":\"" + UiGateway.MASTER_KEY + "\"}");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
    return new Session(setCookie.substring(0, setCookie.indexOf(';')),
        Json.MAPPER.readTree(answer.body()).path("csrf_token").asText(), answer);
  }

  static JsonNode json(HttpResponse<String> answer) throws Exception {
    return Json.MAPPER.readTree(answer.body());
  }

  @Test
  void signingInSetsAnHttpOnlyStrictExpiringCookieThatHoldsARandomIdNotTheKey() throws Exception {
    Session session = signIn(gateway);

    String setCookie = session.answer().headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).startsWith(Sessions.COOKIE + "=").contains("; HttpOnly", "; SameSite=Strict", "; Path=/",
        "; Max-Age=" + Sessions.LIFETIME.toSeconds()).doesNotContain(UiGateway.MASTER_KEY);
    assertThat(session.cookie().substring(Sessions.COOKIE.length() + 1)).matches("[A-Za-z0-9_-]{43}");
    assertThat(session.answer().body()).doesNotContain(UiGateway.MASTER_KEY);
    assertThat(session.answer().headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(signIn(gateway).cookie()).as("each sign-in a new id").isNotEqualTo(session.cookie());

    HttpResponse<String> keys = gateway.send("GET", "/admin/keys", null, "Cookie", session.cookie());
    assertThat(keys.statusCode()).isEqualTo(200);
    HttpResponse<String> state = gateway.send("GET", "/ui/session", null, "Cookie", session.cookie());
    assertThat(json(state).path("signed_in").asBoolean()).isTrue();
    assertThat(json(state).path("csrf_token").asText()).isEqualTo(session.csrf());
  }

  @Test
  void withoutASessionThePageIsToldSoAndTheAdminApiRefuses() throws Exception {
    HttpResponse<String> state = gateway.send("GET", "/ui/session", null);
    assertThat(state.statusCode()).isEqualTo(200);
    assertThat(state.body()).isEqualTo("{\"signed_in\":false}");

    HttpResponse<String> forged = gateway.send("GET", "/admin/keys", null, "Cookie",
        Sessions.COOKIE + "=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(json(forged).path("error").path("code").asText()).isEqualTo("not_signed_in");
    assertThat(gateway.send("GET", "/admin/events", null).statusCode()).as("the live feed without a key").isEqualTo(401);
  }

  @Test
  void aChangeMadeWithTheSessionNeedsItsCsrfToken() throws Exception {
    Session session = signIn(gateway);
    String body = "{\"name\":\"csrf-test\"}";

    HttpResponse<String> without = gateway.send("POST", "/admin/keys", body, "Cookie", session.cookie());
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(json(without).path("error").path("code").asText()).isEqualTo("csrf_token_invalid");
    HttpResponse<String> wrong = gateway.send("POST", "/admin/keys", body, "Cookie", session.cookie(),
        "X-CSRF-Token", signIn(gateway).csrf());
    assertThat(wrong.statusCode()).as("another session's token").isEqualTo(403);
    assertThat(gateway.admin("GET", "/admin/keys", null).path("data").findValuesAsText("name"))
        .doesNotContain("csrf-test");

    HttpResponse<String> made = gateway.send("POST", "/admin/keys", body, "Cookie", session.cookie(),
        "X-CSRF-Token", session.csrf());
    assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
    String id = json(made).path("id").asText();
    HttpResponse<String> revoked = gateway.send("DELETE", "/admin/keys/" + id, null, "Cookie", session.cookie(),
        "X-CSRF-Token", session.csrf(), "Origin", gateway.origin(), "Sec-Fetch-Site", "same-origin");
    assertThat(revoked.statusCode()).as("a same-origin change, as the page makes it").isEqualTo(200);
  }

  @Test
  void aChangeFromAnotherSiteIsRefusedEvenWithTheToken() throws Exception {
    Session session = signIn(gateway);
    String body = "{\"name\":\"cross-site\"}";

    HttpResponse<String> origin = gateway.send("POST", "/admin/keys", body, "Cookie", session.cookie(),
        "X-CSRF-Token", session.csrf(), "Origin", "http://attacker.example");
    assertThat(origin.statusCode()).isEqualTo(403);
    assertThat(json(origin).path("error").path("code").asText()).isEqualTo("cross_site_request");
    HttpResponse<String> fetchSite = gateway.send("POST", "/admin/keys", body, "Cookie", session.cookie(),
        "X-CSRF-Token", session.csrf(), "Sec-Fetch-Site", "cross-site");
    assertThat(fetchSite.statusCode()).isEqualTo(403);
    HttpResponse<String> signInFromElsewhere = gateway.send("POST", "/ui/session",
        "{\"master_key\":\"" + UiGateway.MASTER_KEY + "\"}", "Origin", "http://attacker.example");
    assertThat(signInFromElsewhere.statusCode()).as("signing a victim in from another site").isEqualTo(403);
    assertThat(signInFromElsewhere.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void aRequestThatCarriesAKeyIsJudgedByTheKeyAloneNotTheCookie() throws Exception {
    Session session = signIn(gateway);
    String virtual = gateway.admin("POST", "/admin/keys", "{\"name\":\"not-an-admin\"}").path("key").asText();

    HttpResponse<String> answer = gateway.send("GET", "/admin/keys", null, "Cookie", session.cookie(),
        "Authorization", "Bearer " + virtual);
    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(json(answer).path("error").path("code").asText()).isEqualTo("admin_only");
  }

  @Test
  void signingOutEndsTheSessionAndClearsTheCookie() throws Exception {
    Session session = signIn(gateway);

    HttpResponse<String> noToken = gateway.send("DELETE", "/ui/session", null, "Cookie", session.cookie());
    assertThat(noToken.statusCode()).as("signing out is a change too").isEqualTo(403);
    HttpResponse<String> out = gateway.send("DELETE", "/ui/session", null, "Cookie", session.cookie(),
        "X-CSRF-Token", session.csrf());
    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
        .startsWith(Sessions.COOKIE + "=;").contains("Max-Age=0"));
    assertThat(gateway.send("GET", "/admin/keys", null, "Cookie", session.cookie()).statusCode()).isEqualTo(401);
  }

  @Test
  void wrongKeysAreThrottledPerClientWithRetryAfterAndTheRightKeyWaitsToo(@TempDir Path ownData) throws Exception {
    try (UiGateway own = new UiGateway(ownData)) {
      for (int i = 0; i < SignInThrottle.MAX_FAILURES; i++) {
        HttpResponse<String> wrong = own.send("POST", "/ui/session", "{\"master_key\":\"guess-" + i + "\"}");
        assertThat(wrong.statusCode()).as("guess " + i).isEqualTo(401);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
      }
      HttpResponse<String> throttled = own.send("POST", "/ui/session", "{\"master_key\":\"guess-again\"}");
      assertThat(throttled.statusCode()).isEqualTo(429);
      assertThat(json(throttled).path("error").path("code").asText()).isEqualTo("too_many_sign_in_attempts");
      assertThat(throttled.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(
          s -> assertThat(s).isBetween(1L, SignInThrottle.WINDOW.toSeconds()));
      HttpResponse<String> right = own.send("POST", "/ui/session", "{\"master_key\":\"" + UiGateway.MASTER_KEY + "\"}");
      assertThat(right.statusCode()).as("the key is not even compared while throttled").isEqualTo(429);
      HttpResponse<String> bearer = own.send("GET", "/admin/keys", null, "Authorization", "Bearer " + UiGateway.MASTER_KEY);
      assertThat(bearer.statusCode()).as("the admin API's key is another door").isEqualTo(200);
    }
  }

  @Test
  void badSignInBodiesNameTheField() throws Exception {
    for (String body : List.of("not json", "[]", "{\"key\":\"x\"}", "{\"master_key\":7}")) {
      HttpResponse<String> answer = gateway.send("POST", "/ui/session", body);
      assertThat(answer.statusCode()).as(body).isEqualTo(400);
      assertThat(json(answer).path("error").path("param").asText()).isEqualTo("master_key");
    }
  }

  @Test
  void statsCountRequestsErrorsFallbacksLatencyAndSpendOverTime() throws Exception {
    JsonNode before = gateway.admin("GET", "/admin/stats?window=5m", null).path("totals");
    String limited = gateway.admin("POST", "/admin/keys", "{\"name\":\"llama only\",\"models\":[\"llama\"]}")
        .path("key").asText();
    assertThat(gateway.chat(UiGateway.MASTER_KEY, "gpt-4o").statusCode()).isEqualTo(200);
    assertThat(gateway.chat(limited, "gpt-4o").statusCode()).isEqualTo(403);

    JsonNode stats = gateway.admin("GET", "/admin/stats?window=5m", null);
    JsonNode totals = stats.path("totals");
    assertThat(totals.path("requests").asLong() - before.path("requests").asLong()).isEqualTo(2);
    assertThat(totals.path("errors").asLong() - before.path("errors").asLong()).isEqualTo(1);
    assertThat(totals.path("fallbacks").asLong() - before.path("fallbacks").asLong()).isEqualTo(1);
    assertThat(totals.path("spend_usd").asDouble()).isGreaterThan(before.path("spend_usd").asDouble());
    assertThat(totals.path("p50_ms").isNumber()).isTrue();
    assertThat(stats.path("step_seconds").asInt()).isEqualTo(1);
    JsonNode series = stats.path("series");
    int points = series.path("time").size();
    assertThat(points).isBetween(1, 300);
    for (String column : List.of("requests", "errors", "fallbacks", "spend_usd", "p50_ms", "p95_ms", "p99_ms")) {
      assertThat(series.path(column).size()).as(column).isEqualTo(points);
    }
    long counted = 0;
    for (JsonNode n : series.path("requests")) {
      counted += n.asLong();
    }
    assertThat(counted).as("the steps add up to the total").isEqualTo(totals.path("requests").asLong());
    assertThat(gateway.admin("GET", "/admin/stats", null).path("window").asText()).isEqualTo("1h");
  }

  @Test
  void theLiveRoutesRefuseBadQueriesNamingTheParameter() throws Exception {
    HttpResponse<String> window = gateway.send("GET", "/admin/stats?window=2d", null,
        "Authorization", "Bearer " + UiGateway.MASTER_KEY);
    assertThat(window.statusCode()).isEqualTo(400);
    assertThat(json(window).path("error").path("param").asText()).isEqualTo("window");
    HttpResponse<String> unknown = gateway.send("GET", "/admin/deployments?verbose=1", null,
        "Authorization", "Bearer " + UiGateway.MASTER_KEY);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).path("error").path("param").asText()).isEqualTo("verbose");
  }

  @Test
  void deploymentsShowEachCircuitAndRecentErrorRate() throws Exception {
    gateway.chat(UiGateway.MASTER_KEY, "gpt-4o");

    JsonNode data = gateway.admin("GET", "/admin/deployments", null).path("data");
    assertThat(data).hasSize(3);
    JsonNode gpt = data.get(0);
    assertThat(gpt.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(gpt.path("provider").asText()).isEqualTo("openai-compatible");
    assertThat(gpt.path("upstream_model").asText()).isEqualTo("gpt-4o");
    assertThat(gpt.path("circuit").asText()).isIn("closed", "open", "half-open");
    assertThat(gpt.path("in_flight").asInt()).isZero();
    assertThat(gpt.path("fallbacks").toString()).isEqualTo("[\"claude\",\"llama\"]");
    assertThat(gpt.path("attempts").asLong()).isPositive();
    assertThat(gpt.path("error_rate").asDouble()).as("gpt-4o always fails").isEqualTo(1.0);
    JsonNode llama = data.get(2);
    assertThat(llama.path("error_rate").asDouble()).isEqualTo(0.0);
    assertThat(llama.path("fallbacks").size()).isZero();
  }

  @Test
  void eventsStreamEachRequestTheMomentItEnds() throws Exception {
    Session session = signIn(gateway);
    HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.url("/admin/events")))
        .header("Cookie", session.cookie()).GET().build();
    HttpResponse<InputStream> stream = gateway.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertThat(lines.readLine()).isEqualTo("retry: 2000");
      HttpResponse<String> answer = gateway.chat(UiGateway.MASTER_KEY, "gpt-4o");
      String requestId = answer.headers().firstValue("x-request-id").orElseThrow();
      CompletableFuture<JsonNode> event = CompletableFuture.supplyAsync(() -> {
        try {
          List<String> seen = new ArrayList<>();
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.add(line);
            if (line.startsWith("data: ")) {
              JsonNode row = Json.MAPPER.readTree(line.substring(6));
              if (row.path("request_id").asText().equals(requestId)) {
                assertThat(seen.get(seen.size() - 2)).isEqualTo("event: request");
                return row;
              }
            }
          }
          throw new AssertionError("the stream ended without the request: " + seen);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      JsonNode row = event.get(10, TimeUnit.SECONDS);
      assertThat(row.path("model").asText()).isEqualTo("gpt-4o");
      assertThat(row.path("answered_by").asText()).isEqualTo("llama");
      assertThat(row.path("attempts").findValuesAsText("deployment")).containsExactly("gpt-4o", "claude", "llama");
      assertThat(row.has("prompt")).as("content stays out of the live feed").isFalse();
    }
  }

  @Test
  void thePageAndItsFilesAreGzippedCachedByTheirHashAndRevalidated() throws Exception {
    HttpResponse<byte[]> page = gateway.http.send(HttpRequest.newBuilder(URI.create(gateway.url("/ui")))
        .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(UiDoor.CONTENT_SECURITY_POLICY);
    assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    String html = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(page.body())).readAllBytes(),
        StandardCharsets.UTF_8);
    assertThat(html).contains("<label for=\"master-key\">Master key</label>", ">Sign in</button>",
        ">Overview</a>", ">Models</a>", ">Keys</a>", ">Requests</a>", ">Spend</a>");
    String etag = page.headers().firstValue("ETag").orElseThrow();
    assertThat(gateway.send("GET", "/ui", null, "If-None-Match", etag).statusCode()).isEqualTo(304);

    java.util.regex.Matcher script = java.util.regex.Pattern.compile("/ui/assets/app\\.js\\?v=([0-9a-f]+)").matcher(html);
    assertThat(script.find()).isTrue();
    HttpResponse<String> app = gateway.send("GET", script.group(), null);
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(app.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
    assertThat(gateway.send("GET", "/ui/assets/app.js?v=old", null).headers().firstValue("Cache-Control"))
        .as("an old version's name is not kept").hasValue("no-cache");
    assertThat(gateway.send("GET", "/ui/assets/../pom.xml", null).statusCode()).isEqualTo(404);
    assertThat(gateway.send("GET", "/ui/assets/secret.txt", null).statusCode()).isEqualTo(404);
  }

  @Test
  void anOpenLiveViewDoesNotHoldUpShutdown(@TempDir Path ownData) throws Exception {
    UiGateway own = new UiGateway(ownData);
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(own.url("/admin/events")))
          .header("Authorization", "Bearer " + UiGateway.MASTER_KEY).GET().build();
      HttpResponse<InputStream> stream = own.http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      // With a 20 s grace, a stream that held the shutdown up would keep it from ending within 10 s.
      CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> own.shutdown(Duration.ofSeconds(20)));
      assertThat(shutdown).as("shutdown with a live view open").succeedsWithin(Duration.ofSeconds(10));
      stream.body().close();
    } finally {
      own.close();
    }
  }
}
