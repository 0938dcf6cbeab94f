package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static dev.baton.testkit.OpenAiFixtures.chunk;
import static dev.baton.testkit.OpenAiFixtures.error;
import static dev.baton.testkit.OpenAiFixtures.finishChunk;
import static dev.baton.testkit.OpenAiFixtures.roleChunk;
import static dev.baton.testkit.OpenAiFixtures.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.baton.Usage;
import dev.baton.catalogue.Pricing;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract section 7 through the real gateway, driven by the official OpenAI Java SDK and plain HTTP for
 * the admin API: every row of the table, the admin API, the request log, budgets under concurrency,
 * restarts and secrets at rest — on each database (the subclasses).
 */
abstract class VirtualKeysContract {

  static final Offset<Double> EXACTLY = Offset.offset(1e-9);

  @TempDir
  Path dataDir;

  KeysGateway env;

  /** The {@code database:} section for a fresh database keeping its journal (and SQLite file) in {@code dataDir}. */
  abstract String databaseYaml(Path dataDir);

  /** Folders besides {@code dataDir} where the database keeps its files, to search for secrets. */
  abstract List<Path> databaseFiles();

  @BeforeEach
  void start() {
    env = new KeysGateway(databaseYaml(dataDir));
    env.smart.always(Reply.json(200, chatCompletion("smart-model", "Hello from smart")));
    env.fast.always(Reply.json(200, chatCompletion("fast-model", "Hello from fast")));
    env.mini.always(Reply.json(200, chatCompletion("gpt-4o-mini", "Hello from mini")));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello, gateway!").build();
  }

  /** A key made through the admin API; its secret. */
  String key(String json) throws Exception {
    return env.createKey(json).text("key");
  }

  String keyId(String secret) throws Exception {
    for (JsonNode k : env.admin("GET", "/admin/keys").json().path("data")) {
      if (secret.startsWith(k.path("key_prefix").asText())) {
        return k.path("id").asText();
      }
    }
    throw new AssertionError("no key listed for " + secret.substring(0, 12));
  }

  static <T> T eventually(Duration within, String what, Supplier<T> probe, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " within " + within.toMillis() + " ms; last: " + last);
      }
      Thread.sleep(50);
      last = probe.get();
    }
    return last;
  }

  KeysGateway.Answer adminQuietly(String path) {
    try {
      return env.admin("GET", path);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // The admin API.

  @Test
  void theAdminApiManagesTeamsAndKeysAndEveryChangeTakesEffectAtOnce() throws Exception {
    KeysGateway.Answer team = env.admin("POST", "/admin/teams",
        "{\"name\": \"search\", \"models\": [\"smart\", \"mini\"], \"max_budget_usd\": 10, \"budget_duration\": \"30d\","
            + " \"rpm\": 100}");
    assertThat(team.status()).as(team.toString()).isEqualTo(201);
    String teamId = team.text("id");
    assertThat(teamId).startsWith("team_");

    KeysGateway.Answer created = env.createKey("{\"name\": \"search-app\", \"team_id\": \"" + teamId + "\","
        + " \"models\": [\"smart\"], \"max_budget_usd\": 1, \"budget_duration\": \"1d\", \"rpm\": 50,"
        + " \"metadata\": {\"owner\": \"ana\"}}");
    String secret = created.text("key");
    String keyId = created.text("id");
    assertThat(secret).startsWith("sk-baton-").hasSizeGreaterThanOrEqualTo(9 + 22);
    assertThat(keyId).startsWith("key_");
    assertThat(created.json().path("metadata").path("owner").asText()).isEqualTo("ana");

    OpenAIClient client = env.client(secret);
    ChatCompletion answer = client.chat().completions().create(chat("smart"));
    assertThat(answer.choices().get(0).message().content()).hasValue("Hello from smart");

    KeysGateway.Answer list = env.admin("GET", "/admin/keys");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.raw().body()).as("the secret is shown once, in the 201").doesNotContain(secret);
    JsonNode listed = list.json().path("data").get(0);
    assertThat(listed.path("id").asText()).isEqualTo(keyId);
    assertThat(secret).startsWith(listed.path("key_prefix").asText());
    assertThat(listed.has("key")).isFalse();

    KeysGateway.Answer one = env.admin("GET", "/admin/keys/" + keyId);
    assertThat(one.json().path("spend_usd").asDouble()).isCloseTo(KeysGateway.SMART_ANSWER_USD, EXACTLY);
    Instant resets = Instant.parse(one.text("budget_resets_at"));
    assertThat(resets).isBetween(Instant.now(), Instant.now().plus(Duration.ofDays(1)));
    assertThat(one.json().path("rpm").asLong()).isEqualTo(50);
    assertThat(one.json().path("team_id").asText()).isEqualTo(teamId);
    assertThat(env.admin("GET", "/admin/teams/" + teamId).json().path("spend_usd").asDouble())
        .as("a team's spend is its keys'").isCloseTo(KeysGateway.SMART_ANSWER_USD, EXACTLY);
    assertThat(env.admin("GET", "/admin/teams").json().path("data").findValuesAsText("id")).containsExactly(teamId);

    KeysGateway.Answer patched = env.admin("PATCH", "/admin/keys/" + keyId, "{\"models\": [\"mini\"]}");
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(client.models().list().data()).extracting(Model::id).as("at once").containsExactly("mini");
    PermissionDeniedException refused = catchThrowableOfType(PermissionDeniedException.class,
        () -> client.chat().completions().create(chat("smart")));
    assertThat(refused.code()).hasValue("model_not_allowed");

    KeysGateway.Answer revoked = env.admin("DELETE", "/admin/keys/" + keyId);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().path("revoked").asBoolean()).isTrue();
    UnauthorizedException gone = catchThrowableOfType(UnauthorizedException.class,
        () -> client.chat().completions().create(chat("mini")));
    assertThat(gone.code()).as("revoked: at once").hasValue("invalid_api_key");
    assertThat(env.admin("GET", "/admin/keys").json().path("data")).isEmpty();

    KeysGateway.Answer deleted = env.admin("DELETE", "/admin/teams/" + teamId);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(env.admin("GET", "/admin/teams/" + teamId).status()).isEqualTo(404);
  }

  @Test
  void deletingATeamRevokesItsKeysAtOnce() throws Exception {
    String teamId = env.admin("POST", "/admin/teams", "{\"name\": \"doomed\"}").text("id");
    String secret = key("{\"name\": \"member\", \"team_id\": \"" + teamId + "\"}");
    OpenAIClient client = env.client(secret);
    client.chat().completions().create(chat("smart"));

    env.admin("DELETE", "/admin/teams/" + teamId);

    assertThat(catchThrowableOfType(UnauthorizedException.class,
        () -> client.chat().completions().create(chat("smart"))).code()).hasValue("invalid_api_key");
  }

  @Test
  void badAdminInputIsA400NamingTheField() throws Exception {
    String teamId = env.admin("POST", "/admin/teams", "{\"name\": \"t\"}").text("id");
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{\"name\": 5}", "name");
    cases.put("{\"name\": \"a\", \"rpm\": -1}", "rpm");
    cases.put("{\"name\": \"a\", \"tpm\": \"many\"}", "tpm");
    cases.put("{\"name\": \"a\", \"max_budget_usd\": -0.5}", "max_budget_usd");
    cases.put("{\"name\": \"a\", \"max_budget_usd\": \"ten\"}", "max_budget_usd");
    cases.put("{\"name\": \"a\", \"budget_duration\": \"fortnight\"}", "budget_duration");
    cases.put("{\"name\": \"a\", \"expires_in\": 7}", "expires_in");
    cases.put("{\"name\": \"a\", \"expires_at\": \"tomorrow\"}", "expires_at");
    cases.put("{\"name\": \"a\", \"models\": \"smart\"}", "models");
    cases.put("{\"name\": \"a\", \"models\": [\"gpt-5\"]}", "models");
    cases.put("{\"name\": \"a\", \"metadata\": [1]}", "metadata");
    cases.put("{\"name\": \"a\", \"team_id\": \"team_nope\"}", "team_id");
    cases.put("{\"name\": \"a\", \"team\": \"" + teamId + "\"}", "team");
    cases.put("{\"name\": \"a\", \"blocked\": \"yes\"}", "blocked");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      KeysGateway.Answer answer = env.admin("POST", "/admin/keys", c.getKey());
      assertThat(answer.status()).as(c.getKey() + " -> " + answer).isEqualTo(400);
      JsonNode error = answer.json().path("error");
      assertThat(error.path("param").asText()).as(c.getKey() + " -> " + answer).isEqualTo(c.getValue());
      assertThat(error.path("message").asText()).as(c.getKey()).contains(c.getValue());
      assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    }

    KeysGateway.Answer notJson = env.admin("POST", "/admin/teams", "{\"name\": ");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().path("error").path("message").asText()).contains("not valid JSON");
    KeysGateway.Answer patch = env.admin("PATCH", "/admin/teams/" + teamId, "{\"rpm\": 1.5}");
    assertThat(patch.status()).isEqualTo(400);
    assertThat(patch.json().path("error").path("param").asText()).isEqualTo("rpm");
    KeysGateway.Answer groupBy = env.admin("GET", "/admin/spend?group_by=planet");
    assertThat(groupBy.status()).isEqualTo(400);
    assertThat(groupBy.json().path("error").path("param").asText()).isEqualTo("group_by");
    KeysGateway.Answer limit = env.admin("GET", "/admin/requests?limit=-3");
    assertThat(limit.json().path("error").path("param").asText()).isEqualTo("limit");
    assertThat(env.admin("GET", "/admin/keys/key_nope").status()).isEqualTo(404);
    assertThat(env.admin("PUT", "/admin/keys", "{}").status()).isEqualTo(405);
    assertThat(env.admin("GET", "/health").status()).as("the gateway is still up").isEqualTo(200);
  }

  @Test
  void onlyTheMasterKeyAdministers() throws Exception {
    String secret = key("{\"name\": \"app\"}");

    KeysGateway.Answer virtual = env.admin("GET", "/admin/keys", null, secret);
    KeysGateway.Answer none = env.admin("GET", "/admin/keys", null, null);
    KeysGateway.Answer wrong = env.admin("POST", "/admin/keys", "{\"name\": \"x\"}", "sk-baton-guessed");

    assertThat(virtual.status()).isEqualTo(403);
    assertThat(none.status()).isEqualTo(401);
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(env.admin("GET", "/admin/keys").json().path("data")).as("nothing was created").hasSize(1);
  }

  // The table: 401, 403, 429 for rates, 429 for budgets.

  @Test
  void anUnknownKeyIsA401InvalidApiKey() {
    OpenAIClient client = env.client("sk-baton-not-a-key-0123456789abcdef");
    UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
        () -> client.chat().completions().create(chat("smart")));

    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.code()).hasValue("invalid_api_key");
    assertThat(env.smart.requests()).as("no upstream call").isEmpty();
  }

  @Test
  void anExpiredKeyIsA401InvalidApiKey() throws Exception {
    String secret = key("{\"name\": \"short-lived\", \"expires_at\": \"" + Instant.now().plusSeconds(2) + "\"}");
    OpenAIClient client = env.client(secret);
    client.chat().completions().create(chat("smart"));
    Thread.sleep(2100);

    UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
        () -> client.chat().completions().create(chat("smart")));

    assertThat(e.code()).hasValue("invalid_api_key");
    assertThat(e.getMessage()).contains("expired");
  }

  @Test
  void aModelOutsideTheKeysModelsIsA403AndTheModelListShowsOnlyWhatItMayUse() throws Exception {
    String teamId = env.admin("POST", "/admin/teams", "{\"name\": \"t\", \"models\": [\"smart\", \"fast\"]}").text("id");
    String secret = key("{\"name\": \"narrow\", \"team_id\": \"" + teamId + "\", \"models\": [\"smart\"]}");
    OpenAIClient client = env.client(secret);
    PermissionDeniedException fast = catchThrowableOfType(PermissionDeniedException.class,
        () -> client.chat().completions().create(chat("fast")));
    PermissionDeniedException mini = catchThrowableOfType(PermissionDeniedException.class,
        () -> client.chat().completions().create(chat("mini")));

    assertThat(fast.statusCode()).isEqualTo(403);
    assertThat(fast.code()).hasValue("model_not_allowed");
    assertThat(fast.param()).hasValue("model");
    assertThat(fast.getMessage()).contains("'fast'").contains("key 'narrow'");
    assertThat(mini.getMessage()).as("the key allows everything its team does not").contains("key 'narrow'");
    PermissionDeniedException widened = catchThrowableOfType(PermissionDeniedException.class,
        () -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("smart")
            .addUserMessage("hi").putAdditionalBodyProperty("fallbacks",
                com.openai.core.JsonValue.from(List.of("fast"))).build()));
    assertThat(widened.param()).as("a request's own fallbacks cannot widen the key's models").hasValue("fallbacks");
    assertThat(client.models().list().data()).extracting(Model::id).containsExactly("smart");
    assertThat(catchThrowableOfType(NotFoundException.class,
        () -> client.models().retrieve("fast")).statusCode()).isEqualTo(404);
    assertThat(env.fast.requests()).isEmpty();
    String teamOnly = key("{\"name\": \"team-only\", \"team_id\": \"" + teamId + "\"}");
    OpenAIClient teamClient = env.client(teamOnly);
    assertThat(teamClient.models().list().data()).extracting(Model::id).containsExactly("smart", "fast");
    assertThat(catchThrowableOfType(PermissionDeniedException.class,
        () -> teamClient.chat().completions().create(chat("mini"))).getMessage()).contains("team 't'");
  }

  @Test
  void overItsRpmAKeyGetsA429WithRetryAfterAndEveryAnswerCarriesTheRateHeaders() throws Exception {
    String secret = key("{\"name\": \"limited\", \"rpm\": 2}");
    OpenAIClient client = env.client(secret);
    HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse().create(chat("smart"));
    HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse().create(chat("smart"));
    RateLimitException third = catchThrowableOfType(RateLimitException.class,
        () -> client.chat().completions().create(chat("smart")));

    assertThat(first.headers().values("x-ratelimit-limit-requests")).containsExactly("2");
    assertThat(first.headers().values("x-ratelimit-remaining-requests")).containsExactly("1");
    assertThat(second.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.code()).hasValue("rate_limit_exceeded");
    assertThat(third.getMessage()).contains("key 'limited'").contains("2 requests per minute");
    assertThat(Long.parseLong(third.headers().values("retry-after").get(0))).isBetween(1L, 60L);
    assertThat(third.headers().values("x-ratelimit-limit-requests")).containsExactly("2");
    assertThat(third.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
    assertThat(env.smart.requests()).as("the third never went upstream").hasSize(2);
  }

  @Test
  void overItsTpmAKeyGetsA429() throws Exception {
    String secret = key("{\"name\": \"tokens\", \"tpm\": 18}");
    OpenAIClient client = env.client(secret);
    HttpResponseFor<ChatCompletion> first = client.chat().completions().withRawResponse().create(chat("smart"));
    RateLimitException second = catchThrowableOfType(RateLimitException.class,
        () -> client.chat().completions().create(chat("smart")));

    assertThat(first.headers().values("x-ratelimit-limit-tokens")).containsExactly("18");
    assertThat(second.code()).hasValue("rate_limit_exceeded");
    assertThat(second.getMessage()).contains("18 tokens per minute");
    assertThat(second.headers().values("retry-after")).hasSize(1);
  }

  @Test
  void aSpentBudgetIsA429BudgetExceededThatSaysNotToRetryAndNamesTheBudget() throws Exception {
    String secret = key("{\"name\": \"capped\", \"max_budget_usd\": 0.05}");
    OpenAIClient client = env.client(secret);
    for (int i = 0; i < 3; i++) {
      client.chat().completions().create(chat("smart")); // $0.018 each: under $0.05 before the third
    }
    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> client.chat().completions().create(chat("smart")));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.type()).hasValue("insufficient_quota");
    assertThat(e.code()).hasValue("budget_exceeded");
    assertThat(e.headers().values("x-should-retry")).containsExactly("false");
    assertThat(e.getMessage()).contains("key 'capped'").contains("spent $0.0540").contains("$0.0500")
        .contains("does not reset");
    assertThat(env.smart.requests()).hasSize(3);
  }

  @Test
  void aTeamsBudgetIsSharedByItsKeysAndTheRefusalNamesTheTeamAndWhenItResets() throws Exception {
    String teamId = env.admin("POST", "/admin/teams",
        "{\"name\": \"research\", \"max_budget_usd\": 0.03, \"budget_duration\": \"1d\"}").text("id");
    String first = key("{\"name\": \"one\", \"team_id\": \"" + teamId + "\"}");
    String second = key("{\"name\": \"two\", \"team_id\": \"" + teamId + "\"}");
    OpenAIClient one = env.client(first);
    OpenAIClient two = env.client(second);
    one.chat().completions().create(chat("smart"));
    two.chat().completions().create(chat("smart"));

    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> one.chat().completions().create(chat("smart")));

    assertThat(e.code()).hasValue("budget_exceeded");
    assertThat(e.getMessage()).contains("team 'research'").contains("resets at");
  }

  // The request log.

  @Test
  void everyRequestIsInSpendAndRequestsWithinFiveSecondsWithItsAttemptTrail() throws Exception {
    env.smart.always(Reply.json(503, error("overloaded", "server_error", null)));
    String teamId = env.admin("POST", "/admin/teams", "{\"name\": \"logged\"}").text("id");
    KeysGateway.Answer created = env.createKey("{\"name\": \"logged-app\", \"team_id\": \"" + teamId + "\"}");
    String keyId = created.text("id");
    OpenAIClient client = env.client(created.text("key"));
    client.chat().completions().create(ChatCompletionCreateParams.builder().model("smart")
        .addUserMessage("Hello, fallback!").putAdditionalHeader("x-request-id", "trail-1").build());
    long sent = System.nanoTime();

    JsonNode rows = eventually(Duration.ofSeconds(5), "the row in /admin/requests",
        () -> adminQuietly("/admin/requests?key_id=" + keyId).json().path("data"), data -> data.size() == 1);
    Duration visibleAfter = Duration.ofNanos(System.nanoTime() - sent);

    double fastCost = (11 * 2 + 7 * 10) / 1_000_000.0;
    JsonNode row = rows.get(0);
    assertThat(row.path("key_id").asText()).isEqualTo(keyId);
    assertThat(row.path("team_id").asText()).isEqualTo(teamId);
    assertThat(row.path("model").asText()).isEqualTo("smart");
    assertThat(row.path("answered_by").asText()).isEqualTo("fast");
    assertThat(row.path("status").asInt()).isEqualTo(200);
    assertThat(row.path("request_id").asText()).isEqualTo("trail-1");
    assertThat(row.path("input_tokens").asLong()).isEqualTo(11);
    assertThat(row.path("output_tokens").asLong()).isEqualTo(7);
    assertThat(row.path("cost_usd").asDouble()).as("fast's prices x its usage").isCloseTo(fastCost, EXACTLY);
    assertThat(row.path("latency_ms").asLong()).isNotNegative();
    assertThat(row.path("cache").isNull()).isTrue();
    assertThat(row.path("time").asText()).isNotEmpty();
    JsonNode attempts = row.path("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).path("deployment").asText()).isEqualTo("smart");
    assertThat(attempts.get(0).path("outcome").asText()).isEqualTo("server_error");
    assertThat(attempts.get(0).path("reason").asText()).contains("503");
    assertThat(attempts.get(1).path("deployment").asText()).isEqualTo("fast");
    assertThat(attempts.get(1).path("outcome").asText()).isEqualTo("success");
    assertThat(attempts.get(1).has("latency_ms")).isTrue();
    assertThat(visibleAfter).isLessThan(Duration.ofSeconds(5));

    JsonNode byKey = adminQuietly("/admin/spend?group_by=key").json().path("data");
    assertThat(byKey).hasSize(1);
    assertThat(byKey.get(0).path("group").asText()).isEqualTo(keyId);
    assertThat(byKey.get(0).path("spend_usd").asDouble()).isCloseTo(fastCost, EXACTLY);
    assertThat(byKey.get(0).path("requests").asLong()).isEqualTo(1);
    assertThat(byKey.get(0).path("input_tokens").asLong()).isEqualTo(11);
    assertThat(byKey.get(0).path("output_tokens").asLong()).isEqualTo(7);
    assertThat(adminQuietly("/admin/spend?group_by=team").json().path("data").get(0).path("group").asText())
        .isEqualTo(teamId);
    assertThat(adminQuietly("/admin/spend?group_by=model").json().path("data").get(0).path("group").asText())
        .as("the public model asked for").isEqualTo("smart");
    assertThat(adminQuietly("/admin/spend?group_by=day").json().path("data").get(0).path("group").asText())
        .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
  }

  @Test
  void refusedAndFailedRequestsAreLoggedTooAndTheMasterKeysWithoutAKey() throws Exception {
    String secret = key("{\"name\": \"refused\", \"models\": [\"fast\"]}");
    OpenAIClient client = env.client(secret);
    catchThrowableOfType(PermissionDeniedException.class, () -> client.chat().completions().create(chat("smart")));
    OpenAIClient master = env.client(KeysGateway.MASTER_KEY);
    master.chat().completions().create(chat("smart"));

    JsonNode rows = eventually(Duration.ofSeconds(5), "two rows", () -> adminQuietly("/admin/requests").json()
        .path("data"), data -> data.size() == 2);

    JsonNode masterRow = rows.get(0); // newest first
    assertThat(masterRow.path("key_id").isNull()).isTrue();
    assertThat(masterRow.path("cost_usd").asDouble()).isCloseTo(KeysGateway.SMART_ANSWER_USD, EXACTLY);
    JsonNode refused = rows.get(1);
    assertThat(refused.path("status").asInt()).isEqualTo(403);
    assertThat(refused.path("error").asText()).isEqualTo("model_not_allowed");
    assertThat(refused.path("cost_usd").asDouble()).isZero();
    assertThat(adminQuietly("/admin/requests?status=403").json().path("data")).hasSize(1);
  }

  // Streams.

  @Test
  void aStreamIsCostedFromTheUsageTheGatewayAskedForAndTheCallerWhoDidNotAskGetsNoUsageChunk() throws Exception {
    env.mini.always(Reply.sse(stream("gpt-4o-mini", "Hello", " from", " mini")));
    KeysGateway.Answer created = env.createKey("{\"name\": \"streamer\"}");
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    StringBuilder text = new StringBuilder();

    OpenAIClient client = env.client(created.text("key"));
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("mini"))) {
      s.stream().forEach(c -> {
        chunks.add(c);
        c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
      });
    }

    assertThat(text.toString()).isEqualTo("Hello from mini");
    assertThat(chunks).as("no usage chunk for a caller who did not ask").allSatisfy(c -> {
      assertThat(c.usage()).isEmpty();
      assertThat(c.choices()).isNotEmpty();
    });
    assertThat(env.mini.lastRequest().bodyText()).as("the upstream was asked for usage")
        .contains("\"include_usage\":true");
    ModelConfig mini = env.config.models().stream().filter(m -> m.name().equals("mini")).findFirst().orElseThrow();
    Pricing catalogue = env.config.catalogue().resolve(mini).pricing();
    assertThat(mini.inputCostPerMtok()).as("no prices in the configuration").isNull();
    assertThat(catalogue).as("gpt-4o-mini's prices in the built-in catalogue").isNotNull();
    double expected = catalogue.cost(Usage.of(11, 3));
    assertThat(expected).isPositive();
    String keyId = created.text("id");
    JsonNode row = eventually(Duration.ofSeconds(5), "the stream's row",
        () -> adminQuietly("/admin/requests?key_id=" + keyId).json().path("data"), d -> d.size() == 1).get(0);
    assertThat(row.path("input_tokens").asLong()).isEqualTo(11);
    assertThat(row.path("output_tokens").asLong()).isEqualTo(3);
    assertThat(row.path("cost_usd").asDouble()).isCloseTo(expected, EXACTLY);
    JsonNode byModel = adminQuietly("/admin/spend?group_by=model").json().path("data").get(0);
    assertThat(byModel.path("group").asText()).isEqualTo("mini");
    assertThat(byModel.path("spend_usd").asDouble()).as("priced from the catalogue").isCloseTo(expected, EXACTLY);
    assertThat(env.admin("GET", "/admin/keys/" + keyId).json().path("spend_usd").asDouble()).isCloseTo(expected,
        EXACTLY);
  }

  @Test
  void aCallerWhoAsksForUsageGetsItsChunkOnce() throws Exception {
    env.mini.always(Reply.sse(stream("gpt-4o-mini", "a", "b")));
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    OpenAIClient client = env.client(key("{\"name\": \"asks\"}"));
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
            ChatCompletionCreateParams.builder().model("mini").addUserMessage("hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
      s.stream().forEach(chunks::add);
    }

    assertThat(chunks.stream().filter(c -> c.usage().isPresent()).toList()).singleElement()
        .satisfies(c -> assertThat(c.usage().get().totalTokens()).isEqualTo(13));
  }

  @Test
  void aStreamWhoseUpstreamReportsNoUsageStillCountsAgainstTheBudget() throws Exception {
    // An OpenAI-compatible server is not asked for usage (some reject the field) and reports none.
    env.smart.always(Reply.sse(List.of(roleChunk("smart-model"), chunk("smart-model", "Twelve chars"),
        finishChunk("smart-model", "stop"), OpenAiFixtures.DONE)));
    KeysGateway.Answer created = env.createKey("{\"name\": \"estimated\"}");
    OpenAIClient client = env.client(created.text("key"));
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(chat("smart"))) {
      s.stream().forEach(c -> { });
    }

    String keyId = created.text("id");
    JsonNode row = eventually(Duration.ofSeconds(5), "the stream's row",
        () -> adminQuietly("/admin/requests?key_id=" + keyId).json().path("data"), d -> d.size() == 1).get(0);
    assertThat(row.path("output_tokens").asLong()).as("twelve characters at four a token").isEqualTo(3);
    assertThat(row.path("input_tokens").asLong()).as("the prompt's estimate").isPositive();
    assertThat(row.path("cost_usd").asDouble()).isPositive();
    assertThat(env.admin("GET", "/admin/keys/" + keyId).json().path("spend_usd").asDouble())
        .isCloseTo(row.path("cost_usd").asDouble(), EXACTLY);
  }

  // The other front doors: Anthropic's Messages API and OpenAI's Responses API.

  @Test
  void theMessagesDoorRefusesAKeyInAnthropicsShapeWithTheRefusalsHeaders() throws Exception {
    String narrow = key("{\"name\": \"narrow\", \"models\": [\"fast\"]}");
    String capped = key("{\"name\": \"capped\", \"max_budget_usd\": 0.01}");
    String message = "{\"model\": \"smart\", \"max_tokens\": 100, \"messages\": [{\"role\": \"user\","
        + " \"content\": \"Hello\"}]}";

    HttpResponse<String> notAllowed = env.send("POST", "/v1/messages", message, "x-api-key", narrow,
        "anthropic-version", "2023-06-01");
    HttpResponse<String> first = env.send("POST", "/v1/messages", message, "x-api-key", capped,
        "anthropic-version", "2023-06-01");
    HttpResponse<String> overBudget = env.send("POST", "/v1/messages", message, "x-api-key", capped,
        "anthropic-version", "2023-06-01");

    assertThat(notAllowed.statusCode()).isEqualTo(403);
    JsonNode refusal = KeysGateway.JSON.readTree(notAllowed.body());
    assertThat(refusal.path("type").asText()).isEqualTo("error");
    assertThat(refusal.path("error").path("type").asText()).isEqualTo("permission_error");
    assertThat(refusal.path("error").path("message").asText()).contains("'smart'").contains("key 'narrow'");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(overBudget.statusCode()).isEqualTo(429);
    assertThat(KeysGateway.JSON.readTree(overBudget.body()).path("error").path("type").asText())
        .isEqualTo("rate_limit_error");
    assertThat(overBudget.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(overBudget.body()).contains("Budget exceeded for key 'capped'");
  }

  @Test
  void storedResponsesAreTheirKeysAndSurviveARestart() throws Exception {
    String alice = key("{\"name\": \"alice\"}");
    String bob = key("{\"name\": \"bob\"}");
    OpenAIClient aliceClient = env.client(alice);
    com.openai.models.responses.Response created = aliceClient.responses().create(
        com.openai.models.responses.ResponseCreateParams.builder().model("smart").input("Remember me").build());

    assertThat(catchThrowableOfType(NotFoundException.class, () -> env.client(bob).responses().retrieve(created.id()))
        .statusCode()).as("another key's response").isEqualTo(404);

    env.stop();
    env.start();

    OpenAIClient again = env.client(alice);
    com.openai.models.responses.Response retrieved = again.responses().retrieve(created.id());
    assertThat(retrieved.id()).isEqualTo(created.id());
    com.openai.models.responses.Response next = again.responses().create(
        com.openai.models.responses.ResponseCreateParams.builder().model("smart").input("And now?")
            .previousResponseId(created.id()).build());
    assertThat(next.id()).isNotEqualTo(created.id());
    assertThat(env.smart.lastRequest().bodyText()).as("the earlier turn, read from the database")
        .contains("Remember me").contains("Hello from smart");
  }

  // Concurrency, restarts, secrets.

  @Test
  void aBudgetCrossedUnder200ParallelRequestsIsOvershotByAtMostTheRequestsInFlight() throws Exception {
    env.smart.always(Reply.json(200, chatCompletion("smart-model", "ok")).delayHeaders(Duration.ofMillis(20)));
    int clients = 200;
    double budget = 100 * KeysGateway.SMART_ANSWER_USD; // about 100 answers' worth
    KeysGateway.Answer created = env.createKey("{\"name\": \"crowd\", \"max_budget_usd\": " + budget + "}");
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    OpenAIClient client = env.client(created.text("key"));
    for (int i = 0; i < clients; i++) {
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          go.await();
          while (true) {
            client.chat().completions().create(chat("smart"));
            answered.incrementAndGet();
          }
        } catch (RateLimitException e) {
          if (e.code().orElse("").equals("budget_exceeded")) {
            refused.incrementAndGet();
          } else {
            unexpected.add(e);
          }
        } catch (Throwable e) {
          unexpected.add(e);
        }
      }));
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(120));
    }

    assertThat(unexpected).as("every client ends on budget_exceeded and nothing else").isEmpty();
    assertThat(refused.get()).isEqualTo(clients);
    double spent = env.admin("GET", "/admin/keys/" + created.text("id")).json().path("spend_usd").asDouble();
    assertThat(spent).as("every answer counted").isCloseTo(answered.get() * KeysGateway.SMART_ANSWER_USD,
        Offset.offset(1e-6));
    assertThat(spent).as("the budget was reached").isGreaterThanOrEqualTo(budget - 1e-9);
    assertThat(spent - budget).as("overshoot: at most the %d requests in flight when it was crossed (%d answered)",
        clients, answered.get()).isLessThanOrEqualTo(clients * KeysGateway.SMART_ANSWER_USD + 1e-9);
    JsonNode logged = eventually(Duration.ofSeconds(10), "every request in the log",
        () -> adminQuietly("/admin/spend?group_by=key").json().path("data"),
        d -> d.size() == 1 && d.get(0).path("requests").asLong() == answered.get() + clients);
    assertThat(logged.get(0).path("spend_usd").asDouble()).isCloseTo(spent, Offset.offset(1e-6));
  }

  @Test
  void aRestartKeepsKeysTeamsSpendAndTheLog() throws Exception {
    String teamId = env.admin("POST", "/admin/teams", "{\"name\": \"kept\"}").text("id");
    KeysGateway.Answer capped = env.createKey("{\"name\": \"capped\", \"team_id\": \"" + teamId + "\","
        + " \"max_budget_usd\": 0.03}");
    String other = key("{\"name\": \"other\"}");
    OpenAIClient before = env.client(capped.text("key"));
    before.chat().completions().create(chat("smart"));
    before.chat().completions().create(chat("smart")); // $0.036: over $0.03

    env.stop();
    env.start();

    OpenAIClient client = env.client(capped.text("key"));
    OpenAIClient second = env.client(other);
    RateLimitException e = catchThrowableOfType(RateLimitException.class,
        () -> client.chat().completions().create(chat("smart")));
    assertThat(e.code()).as("the spend survived the restart").hasValue("budget_exceeded");
    assertThat(second.chat().completions().create(chat("smart")).choices()).hasSize(1);
    KeysGateway.Answer key = env.admin("GET", "/admin/keys/" + capped.text("id"));
    assertThat(key.json().path("spend_usd").asDouble()).isCloseTo(2 * KeysGateway.SMART_ANSWER_USD, EXACTLY);
    assertThat(key.text("team_id")).isEqualTo(teamId);
    assertThat(env.admin("GET", "/admin/teams/" + teamId).json().path("spend_usd").asDouble())
        .isCloseTo(2 * KeysGateway.SMART_ANSWER_USD, EXACTLY);
    eventually(Duration.ofSeconds(5), "the log kept", () -> adminQuietly("/admin/requests?key_id=" + capped.text("id"))
        .json().path("data"), d -> d.size() == 3);
  }

  @Test
  void theSecretIsNeverWrittenToTheDatabaseFilesTheJournalOrTheLog() throws Exception {
    PrintStream err = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    String secret;
    try {
      KeysGateway.Answer created = env.createKey("{\"name\": \"secretive\", \"rpm\": 1, \"models\": [\"smart\"]}");
      secret = created.text("key");
      OpenAIClient client = env.client(secret);
      client.chat().completions().create(chat("smart"));
      catchThrowableOfType(RateLimitException.class, () -> client.chat().completions().create(chat("smart")));
      env.send("POST", "/v1/chat/completions", "{\"model\": \"smart\"", "Authorization", "Bearer " + secret);
      env.admin("GET", "/admin/keys", null, secret);
      env.admin("DELETE", "/admin/keys/" + created.text("id"));
      OpenAIClient afterRevoking = env.client(secret);
      catchThrowableOfType(UnauthorizedException.class,
          () -> afterRevoking.chat().completions().create(chat("smart")));
      env.stop(); // writes everything queued
    } finally {
      System.setErr(err);
      env.start();
    }

    assertThat(log.toString(StandardCharsets.UTF_8)).as("the log").contains("/v1/chat/completions")
        .doesNotContain(secret).doesNotContain(secret.substring(9));
    List<Path> files = new ArrayList<>();
    for (Path folder : concat(List.of(dataDir), databaseFiles())) {
      try (Stream<Path> walk = Files.walk(folder)) {
        walk.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    assertThat(files).as("the database's files").isNotEmpty();
    byte[] needle = secret.substring(9).getBytes(StandardCharsets.UTF_8);
    for (Path file : files) {
      assertThat(contains(Files.readAllBytes(file), needle)).as("the secret in " + file).isFalse();
    }
    assertThat(env.smart.requests()).allSatisfy(r -> assertThat(r.headers().toString()).doesNotContain(secret));
  }

  @Test
  void healthSaysTheDatabaseIsUp() throws Exception {
    HttpResponse<String> health = env.send("GET", "/health", null);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"database\":\"up\"}");
  }

  static List<Path> concat(List<Path> a, List<Path> b) {
    List<Path> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
