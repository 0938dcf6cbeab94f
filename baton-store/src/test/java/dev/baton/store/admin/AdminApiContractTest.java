package dev.baton.store.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.config.Secret;
import dev.baton.store.AttemptRecord;
import dev.baton.store.KeyPlatform;
import dev.baton.store.RequestRecord;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.store.keys.Authentication;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.limits.Admission;
import dev.baton.store.limits.LocalCounters;
import dev.baton.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The admin API of contract section 7, on each database. */
abstract class AdminApiContractTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  static final Secret MASTER = Secret.of("sk-master-test");

  @TempDir
  Path dataDir;

  final ManualClock clock = new ManualClock(NOW);
  KeyPlatform platform;
  AdminApi admin;

  abstract DatabaseConfig freshDatabase(Path dataDir);

  @BeforeEach
  void open() {
    config = freshDatabase(dataDir);
    open(Duration.ofMillis(500));
  }

  private DatabaseConfig config;

  private void open(Duration flushEvery) {
    platform = KeyPlatform.open(JdbcStore.open(config), config.dataDir(), LoggingConfig.defaults(),
        () -> List.of("smart", "fast", "local"), clock, new LocalCounters(), flushEvery);
    admin = platform.admin();
  }

  /** The platform again, its log's writer writing only when flushed: what is recorded stays queued. */
  private void withAWriterThatWaits() {
    platform.close();
    open(Duration.ofHours(1));
  }

  @AfterEach
  void close() {
    platform.close();
  }

  // Who may call it

  @Test
  void onlyTheMasterKeyMayCallTheAdminApi() throws Exception {
    String secret = createKey("{\"name\": \"app\"}").get("key").asText();

    assertThat(platform.authorizeAdmin("sk-master-test", MASTER)).isNull();
    assertThat(platform.authorizeAdmin(null, MASTER).status()).isEqualTo(401);
    assertThat(platform.authorizeAdmin("sk-wrong", MASTER).status()).isEqualTo(401);
    AdminResponse virtual = platform.authorizeAdmin(secret, MASTER);
    assertThat(virtual.status()).isEqualTo(403);
    assertThat(error(virtual).get("code").asText()).isEqualTo("admin_only");
    assertThat(platform.authorizeAdmin("anything", null).status()).as("no master key configured").isEqualTo(403);
  }

  // Teams

  @Test
  void creatingATeamAnswers201WithItsIdAndFields() throws Exception {
    AdminResponse r = admin.handle("POST", "/admin/teams", """
        {"name": "search", "models": ["smart", "fast"], "max_budget_usd": 50, "budget_duration": "30d",
         "rpm": 100, "tpm": 20000, "metadata": {"owner": "ana"}}""");

    assertThat(r.status()).isEqualTo(201);
    JsonNode team = JSON.readTree(r.body());
    assertThat(team.get("id").asText()).startsWith("team_");
    assertThat(team.get("name").asText()).isEqualTo("search");
    assertThat(team.get("models")).hasSize(2);
    assertThat(team.get("max_budget_usd").asDouble()).isEqualTo(50.0);
    assertThat(team.get("budget_duration").asText()).isEqualTo("30d");
    assertThat(team.get("rpm").asLong()).isEqualTo(100);
    assertThat(team.get("tpm").asLong()).isEqualTo(20000);
    assertThat(team.get("metadata").get("owner").asText()).isEqualTo("ana");
    assertThat(team.get("spend_usd").asDouble()).isZero();
    assertThat(team.get("budget_resets_at").asText()).isEqualTo("2027-01-03T12:00:00Z");
  }

  @Test
  void teamsAreListedAndReadOneByOneWithTheirSpend() throws Exception {
    String id = createTeam("{\"name\": \"search\", \"max_budget_usd\": 10}").get("id").asText();
    String secret = createKey("{\"name\": \"app\", \"team_id\": \"" + id + "\"}").get("key").asText();
    spend(secret, "smart", 1.25);

    JsonNode list = ok(admin.handle("GET", "/admin/teams", null));
    JsonNode one = ok(admin.handle("GET", "/admin/teams/" + id, null));

    assertThat(list.get("data")).hasSize(1);
    assertThat(list.get("data").get(0).get("id").asText()).isEqualTo(id);
    assertThat(one.get("spend_usd").asDouble()).isEqualTo(1.25);
    assertThat(admin.handle("GET", "/admin/teams/team_nope", null).status()).isEqualTo(404);
  }

  @Test
  void patchingATeamChangesOnlyWhatItNamesAndNullRemovesALimit() throws Exception {
    String id = createTeam("{\"name\": \"search\", \"rpm\": 100, \"tpm\": 5000}").get("id").asText();

    JsonNode team = ok(admin.handle("PATCH", "/admin/teams/" + id, "{\"rpm\": null, \"name\": \"search-2\"}"));

    assertThat(team.get("name").asText()).isEqualTo("search-2");
    assertThat(team.get("rpm").isNull()).isTrue();
    assertThat(team.get("tpm").asLong()).isEqualTo(5000);
    assertThat(ok(admin.handle("GET", "/admin/teams/" + id, null)).get("name").asText()).isEqualTo("search-2");
  }

  @Test
  void blockingATeamStopsItsKeysAtOnce() throws Exception {
    String id = createTeam("{\"name\": \"search\"}").get("id").asText();
    String secret = createKey("{\"name\": \"app\", \"team_id\": \"" + id + "\"}").get("key").asText();
    assertThat(platform.authenticate(secret)).isInstanceOf(Authentication.Accepted.class);

    ok(admin.handle("PATCH", "/admin/teams/" + id, "{\"blocked\": true}"));

    assertThat(platform.authenticate(secret)).isInstanceOf(Authentication.Refused.class);
  }

  @Test
  void deletingATeamRevokesItsKeys() throws Exception {
    String id = createTeam("{\"name\": \"search\"}").get("id").asText();
    JsonNode key = createKey("{\"name\": \"app\", \"team_id\": \"" + id + "\"}");

    JsonNode deleted = ok(admin.handle("DELETE", "/admin/teams/" + id, null));

    assertThat(deleted.get("deleted").asBoolean()).isTrue();
    assertThat(deleted.get("revoked_keys").get(0).asText()).isEqualTo(key.get("id").asText());
    assertThat(platform.authenticate(key.get("key").asText())).isInstanceOf(Authentication.Refused.class);
    assertThat(admin.handle("GET", "/admin/teams/" + id, null).status()).isEqualTo(404);
    assertThat(admin.handle("DELETE", "/admin/teams/" + id, null).status()).isEqualTo(404);
  }

  // Keys

  @Test
  void creatingAKeyShowsTheSecretOnceAndNeverAgain() throws Exception {
    AdminResponse created = admin.handle("POST", "/admin/keys", """
        {"name": "ci bot", "models": ["smart"], "max_budget_usd": 5, "budget_duration": "1d", "rpm": 10,
         "tpm": 1000, "expires_in": "7d", "metadata": {"env": "ci"}}""");

    assertThat(created.status()).isEqualTo(201);
    JsonNode key = JSON.readTree(created.body());
    String secret = key.get("key").asText();
    assertThat(secret).startsWith("sk-baton-").hasSize("sk-baton-".length() + 32);
    assertThat(key.get("id").asText()).startsWith("key_");
    assertThat(key.get("key_prefix").asText()).isEqualTo(secret.substring(0, 13));
    assertThat(key.get("expires_at").asText()).isEqualTo("2026-12-11T12:00:00Z");
    assertThat(key.get("budget_resets_at").asText()).isEqualTo("2026-12-05T12:00:00Z");
    assertThat(key.get("spend_usd").asDouble()).isZero();
    String id = key.get("id").asText();
    String one = admin.handle("GET", "/admin/keys/" + id, null).body();
    String list = admin.handle("GET", "/admin/keys", null).body();
    assertThat(one).doesNotContain(secret);
    assertThat(JSON.readTree(one).has("key")).isFalse();
    assertThat(JSON.readTree(one).has("key_prefix")).isTrue();
    assertThat(list).doesNotContain(secret).doesNotContain(secret.substring(13));
    assertThat(platform.authenticate(secret)).isInstanceOf(Authentication.Accepted.class);
  }

  @Test
  void aKeysSpendAndResetAreShownAndItsBudgetEnforced() throws Exception {
    JsonNode key = createKey("{\"name\": \"app\", \"max_budget_usd\": 1, \"budget_duration\": \"1d\"}");
    spend(key.get("key").asText(), "smart", 1.5);

    JsonNode read = ok(admin.handle("GET", "/admin/keys/" + key.get("id").asText(), null));

    assertThat(read.get("spend_usd").asDouble()).isEqualTo(1.5);
    Admission next = platform.admit(context(key.get("key").asText()), "smart");
    assertThat(((Admission.Refused) next).refusal().code()).isEqualTo("budget_exceeded");
  }

  @Test
  void anExpiredKeyIsRefused() throws Exception {
    String secret = createKey("{\"name\": \"app\", \"expires_at\": \"2026-12-05T00:00:00Z\"}").get("key").asText();
    assertThat(platform.authenticate(secret)).isInstanceOf(Authentication.Accepted.class);

    clock.set(Instant.parse("2026-12-05T00:00:00Z"));

    Authentication.Refused r = (Authentication.Refused) platform.authenticate(secret);
    assertThat(r.refusal().status()).isEqualTo(401);
    assertThat(r.refusal().code()).isEqualTo("invalid_api_key");
    assertThat(r.refusal().message()).contains("expired at 2026-12-05T00:00:00Z");
  }

  @Test
  void aKeyInATeamMayOnlyNameModelsTheTeamAllowsAndUsesTheStricterLimits() throws Exception {
    String team = createTeam("{\"name\": \"search\", \"models\": [\"smart\", \"fast\"], \"rpm\": 5}").get("id").asText();

    AdminResponse refused = admin.handle("POST", "/admin/keys",
        "{\"name\": \"app\", \"team_id\": \"" + team + "\", \"models\": [\"smart\", \"local\"]}");
    JsonNode key = createKey("{\"name\": \"app\", \"team_id\": \"" + team + "\", \"rpm\": 50}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(error(refused).get("message").asText())
        .isEqualTo("models[1]: 'local' is not allowed for team 'search' (" + team + "), which allows: smart, fast");
    assertThat(key.get("effective_limits").get("rpm").asLong()).isEqualTo(5);
    assertThat(key.get("effective_limits").get("models")).hasSize(2);
  }

  @Test
  void patchingAKeyTakesEffectAtOnce() throws Exception {
    JsonNode key = createKey("{\"name\": \"app\"}");
    String secret = key.get("key").asText();
    assertThat(platform.admit(context(secret), "fast")).isInstanceOf(Admission.Admitted.class);

    JsonNode patched = ok(admin.handle("PATCH", "/admin/keys/" + key.get("id").asText(), "{\"models\": [\"smart\"], \"rpm\": 1}"));

    assertThat(patched.get("rpm").asLong()).isEqualTo(1);
    assertThat(platform.admit(context(secret), "fast")).isInstanceOf(Admission.Refused.class);
    assertThat(platform.admit(context(secret), "smart")).isInstanceOf(Admission.Admitted.class);
    assertThat(platform.admit(context(secret), "smart")).as("rpm 1").isInstanceOf(Admission.Refused.class);
  }

  @Test
  void revokingAKeyStopsItAtOnceAndTwiceIs404() throws Exception {
    JsonNode key = createKey("{\"name\": \"app\"}");
    String id = key.get("id").asText();

    JsonNode revoked = ok(admin.handle("DELETE", "/admin/keys/" + id, null));

    assertThat(revoked.get("revoked").asBoolean()).isTrue();
    assertThat(platform.authenticate(key.get("key").asText())).isInstanceOf(Authentication.Refused.class);
    assertThat(ok(admin.handle("GET", "/admin/keys/" + id, null)).get("revoked_at").asText()).isEqualTo(NOW.toString());
    assertThat(ok(admin.handle("GET", "/admin/keys", null)).get("data")).isEmpty();
    assertThat(admin.handle("DELETE", "/admin/keys/" + id, null).status()).isEqualTo(404);
    assertThat(admin.handle("PATCH", "/admin/keys/" + id, "{\"rpm\": 1}").status()).isEqualTo(404);
  }

  // Spend and requests

  @Test
  void spendIsGroupedByKeyTeamModelAndDay() throws Exception {
    String team = createTeam("{\"name\": \"search\"}").get("id").asText();
    JsonNode a = createKey("{\"name\": \"a\", \"team_id\": \"" + team + "\"}");
    JsonNode b = createKey("{\"name\": \"b\"}");
    spend(a.get("key").asText(), "smart", 1.0);
    clock.advance(Duration.ofDays(1));
    spend(a.get("key").asText(), "fast", 0.5);
    spend(b.get("key").asText(), "smart", 0.25);
    platform.spendLog().flush();

    JsonNode byKey = ok(admin.handle("GET", "/admin/spend?group_by=key", null));
    JsonNode byTeam = ok(admin.handle("GET", "/admin/spend?group_by=team", null));
    JsonNode byModel = ok(admin.handle("GET", "/admin/spend?group_by=model", null));
    JsonNode byDay = ok(admin.handle("GET", "/admin/spend?group_by=day", null));
    JsonNode secondDay = ok(admin.handle("GET", "/admin/spend?group_by=key&from=2026-12-05&to=2026-12-05", null));

    assertThat(byKey.get("data").get(0).get("group").asText()).isEqualTo(a.get("id").asText());
    assertThat(byKey.get("data").get(0).get("spend_usd").asDouble()).isEqualTo(1.5);
    assertThat(byKey.get("data").get(0).get("requests").asLong()).isEqualTo(2);
    assertThat(byKey.get("data").get(0).get("input_tokens").asLong()).isEqualTo(20);
    assertThat(byKey.get("data").get(0).get("output_tokens").asLong()).isEqualTo(10);
    assertThat(byTeam.get("data").get(0).get("group").asText()).isEqualTo(team);
    assertThat(byTeam.get("data").get(1).get("group").isNull()).as("keys without a team").isTrue();
    assertThat(byModel.get("data").get(0).get("group").asText()).isEqualTo("smart");
    assertThat(byModel.get("data").get(0).get("spend_usd").asDouble()).isEqualTo(1.25);
    assertThat(byDay.get("data").get(0).get("group").asText()).isEqualTo("2026-12-04");
    assertThat(byDay.get("data").get(1).get("group").asText()).isEqualTo("2026-12-05");
    assertThat(byDay.get("data").get(1).get("spend_usd").asDouble()).isEqualTo(0.75);
    assertThat(secondDay.get("data")).hasSize(2);
  }

  @Test
  void recentRequestsAreListedNewestFirstWithTheirAttemptsAndFiltered() throws Exception {
    String secret = createKey("{\"name\": \"a\"}").get("key").asText();
    KeyContext key = context(secret);
    platform.record(RequestRecord.builder(NOW).id("req_1").keyId(key.keyId()).model("smart").answeredBy("fast")
        .attempts(List.of(new AttemptRecord("smart", "rate_limited", "429 from openai", 40),
            new AttemptRecord("fast", "success", null, 300)))
        .tokens(12, 30).costUsd(0.002).latencyMs(350).status(200).cache("miss").requestId("rid-1").build());
    platform.record(RequestRecord.builder(NOW.plusSeconds(1)).id("req_2").keyId(key.keyId()).model("fast")
        .status(502).error("every model failed").build());
    platform.spendLog().flush();

    JsonNode all = ok(admin.handle("GET", "/admin/requests", null));
    JsonNode failed = ok(admin.handle("GET", "/admin/requests?status=502", null));
    JsonNode smart = ok(admin.handle("GET", "/admin/requests?model=smart&key_id=" + key.keyId() + "&limit=5", null));

    assertThat(all.get("data")).hasSize(2);
    assertThat(all.get("data").get(0).get("id").asText()).isEqualTo("req_2");
    JsonNode first = all.get("data").get(1);
    assertThat(first.get("time").asText()).isEqualTo(NOW.toString());
    assertThat(first.get("key_id").asText()).isEqualTo(key.keyId());
    assertThat(first.get("answered_by").asText()).isEqualTo("fast");
    assertThat(first.get("attempts").get(0).get("deployment").asText()).isEqualTo("smart");
    assertThat(first.get("attempts").get(0).get("outcome").asText()).isEqualTo("rate_limited");
    assertThat(first.get("attempts").get(0).get("reason").asText()).isEqualTo("429 from openai");
    assertThat(first.get("attempts").get(0).get("latency_ms").asLong()).isEqualTo(40);
    assertThat(first.get("input_tokens").asLong()).isEqualTo(12);
    assertThat(first.get("output_tokens").asLong()).isEqualTo(30);
    assertThat(first.get("cost_usd").asDouble()).isEqualTo(0.002);
    assertThat(first.get("latency_ms").asLong()).isEqualTo(350);
    assertThat(first.get("cache").asText()).isEqualTo("miss");
    assertThat(first.has("prompt")).as("no content without logging.store_content").isFalse();
    assertThat(failed.get("data")).extracting(n -> n.get("id").asText()).containsExactly("req_2");
    assertThat(smart.get("data")).extracting(n -> n.get("id").asText()).containsExactly("req_1");
  }

  @Test
  void aRequestIsListedAtOnceWithThoseWrittenBeforeItNewestFirstAndFiltered() throws Exception {
    withAWriterThatWaits();
    platform.record(RequestRecord.builder(NOW).id("req_written").model("smart").status(200).build());
    platform.spendLog().flush();
    platform.record(RequestRecord.builder(NOW.plusSeconds(1).plusNanos(123_456_789)).id("req_queued").model("fast")
        .status(502).build());

    assertThat(platform.spendLog().pending()).as("the second row, still queued").isEqualTo(1);
    JsonNode all = ok(admin.handle("GET", "/admin/requests", null));
    JsonNode failed = ok(admin.handle("GET", "/admin/requests?status=502", null));
    JsonNode smart = ok(admin.handle("GET", "/admin/requests?model=smart", null));
    JsonNode one = ok(admin.handle("GET", "/admin/requests?limit=1", null));

    assertThat(all.get("data")).extracting(n -> n.get("id").asText()).containsExactly("req_queued", "req_written");
    assertThat(all.get("data").get(0).get("time").asText()).as("to the millisecond, as the database keeps it")
        .isEqualTo(NOW.plusSeconds(1).plusMillis(123).toString());
    assertThat(failed.get("data")).extracting(n -> n.get("id").asText()).containsExactly("req_queued");
    assertThat(smart.get("data")).extracting(n -> n.get("id").asText()).containsExactly("req_written");
    assertThat(one.get("data")).extracting(n -> n.get("id").asText()).containsExactly("req_queued");
    platform.spendLog().flush();
    assertThat(ok(admin.handle("GET", "/admin/requests", null)).get("data"))
        .as("once written, each row is listed once").extracting(n -> n.get("id").asText())
        .containsExactly("req_queued", "req_written");
  }

  @Test
  void spendCountsARequestAtOnceAndOnceOnlyWhenItsRowIsWritten() throws Exception {
    withAWriterThatWaits();
    platform.record(RequestRecord.builder(NOW).id("req_a").keyId("key_x").model("smart").tokens(10, 5)
        .costUsd(0.25).status(200).build());
    platform.spendLog().flush();
    platform.record(RequestRecord.builder(NOW.plusSeconds(1)).id("req_b").keyId("key_x").model("fast").tokens(1, 2)
        .costUsd(0.5).status(200).build());
    platform.record(RequestRecord.builder(NOW.minus(Duration.ofDays(1))).id("req_old").keyId("key_y").model("fast")
        .costUsd(4.0).status(200).build());
    assertThat(platform.spendLog().pending()).as("two rows still queued").isEqualTo(2);

    JsonNode byKey = ok(admin.handle("GET", "/admin/spend?group_by=key", null)).get("data");
    JsonNode byModel = ok(admin.handle("GET", "/admin/spend?group_by=model&from=" + NOW, null)).get("data");

    assertThat(byKey).extracting(n -> n.get("group").asText(), n -> n.get("spend_usd").asDouble(),
        n -> n.get("requests").asLong()).containsExactly(tuple("key_y", 4.0, 1L), tuple("key_x", 0.75, 2L));
    assertThat(byKey.get(1).get("input_tokens").asLong()).isEqualTo(11);
    assertThat(byModel).extracting(n -> n.get("group").asText(), n -> n.get("spend_usd").asDouble())
        .as("only what is from 'from' on").containsExactly(tuple("fast", 0.5), tuple("smart", 0.25));
    platform.spendLog().flush();
    assertThat(ok(admin.handle("GET", "/admin/spend?group_by=key", null)).get("data"))
        .as("once written, each request counted once").extracting(n -> n.get("spend_usd").asDouble())
        .containsExactly(4.0, 0.75);
  }

  @Test
  void aRecordedRequestIsVisibleWithinFiveSeconds() throws Exception {
    platform.record(RequestRecord.builder(NOW).id("req_soon").model("smart").costUsd(0.01).status(200).build());

    dev.baton.store.Eventually.within(Duration.ofSeconds(5), "the row in /admin/requests", () -> {
      try {
        return ok(admin.handle("GET", "/admin/requests", null)).get("data").size() == 1;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    assertThat(admin.handle("GET", "/admin/nothing", null).status()).isEqualTo(404);
    assertThat(admin.handle("GET", "/admin/keys/a/b", null).status()).isEqualTo(404);
    AdminResponse r = admin.handle("PUT", "/admin/keys", "{}");
    assertThat(r.status()).isEqualTo(405);
    assertThat(error(r).get("message").asText()).isEqualTo("PUT is not allowed on /admin/keys; allowed: GET, POST");
  }

  // Every bad input is a 400 naming the field

  static Stream<Arguments> badTeams() {
    return Stream.of(
        Arguments.of("{}", "name", "name: is required (a non-empty string)"),
        Arguments.of("{\"name\": 42}", "name", "name: must be a string, was the number 42"),
        Arguments.of("{\"name\": \"  \"}", "name", "name: must not be empty"),
        Arguments.of("{\"name\": \"t\", \"models\": \"smart\"}", "models", "models: must be a list of model names, was the string \"smart\""),
        Arguments.of("{\"name\": \"t\", \"models\": [\"smart\", 3]}", "models", "models[1]: must be a model name, was the number 3"),
        Arguments.of("{\"name\": \"t\", \"models\": [\"smrt\"]}", "models", "models[0]: no model 'smrt' is served; served: smart, fast, local"),
        Arguments.of("{\"name\": \"t\", \"models\": [\"smart\", \"smart\"]}", "models", "models[1]: 'smart' is listed twice"),
        Arguments.of("{\"name\": \"t\", \"max_budget_usd\": \"10\"}", "max_budget_usd", "max_budget_usd: must be a number of US dollars, was the string \"10\""),
        Arguments.of("{\"name\": \"t\", \"max_budget_usd\": -1}", "max_budget_usd", "max_budget_usd: must not be negative, was -1"),
        Arguments.of("{\"name\": \"t\", \"budget_duration\": \"1 day\"}", "budget_duration", "budget_duration: expected a period such as 1h, 1d or 30d (a whole number of m, h, d or w, above 0), was '1 day'"),
        Arguments.of("{\"name\": \"t\", \"budget_duration\": \"0d\"}", "budget_duration", "budget_duration: expected a period such as 1h, 1d or 30d (a whole number of m, h, d or w, above 0), was '0d'"),
        Arguments.of("{\"name\": \"t\", \"budget_duration\": 30}", "budget_duration", "budget_duration: must be a string, was the number 30"),
        Arguments.of("{\"name\": \"t\", \"rpm\": 1.5}", "rpm", "rpm: must be a whole number, was the number 1.5"),
        Arguments.of("{\"name\": \"t\", \"rpm\": -1}", "rpm", "rpm: must not be negative, was -1"),
        Arguments.of("{\"name\": \"t\", \"rpm\": \"10\"}", "rpm", "rpm: must be a whole number, was the string \"10\""),
        Arguments.of("{\"name\": \"t\", \"tpm\": -5}", "tpm", "tpm: must not be negative, was -5"),
        Arguments.of("{\"name\": \"t\", \"tpm\": true}", "tpm", "tpm: must be a whole number, was true"),
        Arguments.of("{\"name\": \"t\", \"metadata\": [1]}", "metadata", "metadata: must be a JSON object, was a list"),
        Arguments.of("{\"name\": \"t\", \"blocked\": \"yes\"}", "blocked", "blocked: must be true or false, was the string \"yes\""),
        Arguments.of("{\"name\": \"t\", \"budget\": 5}", "budget", "unknown field 'budget'; known fields: name, models, max_budget_usd, budget_duration, rpm, tpm, metadata, blocked"),
        Arguments.of("{\"name\": \"t\", \"name\": \"u\"}", null, "the body is not valid JSON: Duplicate field 'name' (line 1, column 21)"),
        Arguments.of("{\"name\": ", null, "the body is not valid JSON: Unexpected end-of-input within/between Object entries (line 1, column 10)"),
        Arguments.of("[1, 2]", null, "the body must be a JSON object, was a list"),
        Arguments.of("", null, "the body must be a JSON object; it was empty"),
        Arguments.of("{\"name\": \"t\"} {}", null, "the body is not valid JSON: more follows the object at line 1, column 16"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTeams")
  void aBadTeamIsA400NamingTheField(String body, String param, String message) throws Exception {
    assertBadInput(admin.handle("POST", "/admin/teams", body), param, message);
  }

  static Stream<Arguments> badKeys() {
    return Stream.of(
        Arguments.of("{\"models\": [\"smart\"]}", "name", "name: is required (a non-empty string)"),
        Arguments.of("{\"name\": \"k\", \"team_id\": \"team_nope\"}", "team_id", "team_id: no team 'team_nope'"),
        Arguments.of("{\"name\": \"k\", \"team_id\": 7}", "team_id", "team_id: must be a string, was the number 7"),
        Arguments.of("{\"name\": \"k\", \"models\": {}}", "models", "models: must be a list of model names, was an object"),
        Arguments.of("{\"name\": \"k\", \"max_budget_usd\": -0.5}", "max_budget_usd", "max_budget_usd: must not be negative, was -0.5"),
        Arguments.of("{\"name\": \"k\", \"budget_duration\": \"monthly\"}", "budget_duration", "budget_duration: expected a period such as 1h, 1d or 30d (a whole number of m, h, d or w, above 0), was 'monthly'"),
        Arguments.of("{\"name\": \"k\", \"rpm\": -3}", "rpm", "rpm: must not be negative, was -3"),
        Arguments.of("{\"name\": \"k\", \"tpm\": 2.5}", "tpm", "tpm: must be a whole number, was the number 2.5"),
        Arguments.of("{\"name\": \"k\", \"expires_in\": \"7 days\"}", "expires_in", "expires_in: expected a period such as 1h, 1d or 30d (a whole number of m, h, d or w, above 0), was '7 days'"),
        Arguments.of("{\"name\": \"k\", \"expires_in\": 7}", "expires_in", "expires_in: must be a string, was the number 7"),
        Arguments.of("{\"name\": \"k\", \"expires_at\": \"tomorrow\"}", "expires_at", "expires_at: expected an ISO-8601 time such as 2027-01-31T12:00:00Z or a day such as 2027-01-31, was 'tomorrow'"),
        Arguments.of("{\"name\": \"k\", \"expires_at\": \"2026-01-01T00:00:00Z\"}", "expires_at", "expires_at: must be in the future, was 2026-01-01T00:00:00Z"),
        Arguments.of("{\"name\": \"k\", \"expires_in\": \"1d\", \"expires_at\": \"2027-01-01\"}", "expires_in", "expires_in: give expires_in or expires_at, not both"),
        Arguments.of("{\"name\": \"k\", \"metadata\": \"x\"}", "metadata", "metadata: must be a JSON object, was the string \"x\""),
        Arguments.of("{\"name\": \"k\", \"blocked\": 1}", "blocked", "blocked: must be true or false, was the number 1"),
        Arguments.of("{\"name\": \"k\", \"key\": \"sk-baton-mine\"}", "key", "unknown field 'key'; known fields: name, team_id, models, max_budget_usd, budget_duration, rpm, tpm, expires_in, expires_at, metadata, blocked"),
        Arguments.of("not json", null, "the body is not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') (line 1, column 1)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badKeys")
  void aBadKeyIsA400NamingTheField(String body, String param, String message) throws Exception {
    assertBadInput(admin.handle("POST", "/admin/keys", body), param, message);
  }

  @Test
  void aBadPatchIsA400AndChangesNothing() throws Exception {
    JsonNode key = createKey("{\"name\": \"app\", \"rpm\": 5}");
    String id = key.get("id").asText();

    assertBadInput(admin.handle("PATCH", "/admin/keys/" + id, "{\"rpm\": 10, \"tpm\": -1}"), "tpm",
        "tpm: must not be negative, was -1");
    assertBadInput(admin.handle("PATCH", "/admin/keys/" + id, "{\"name\": null}"), "name",
        "name: is required (a non-empty string)");
    assertBadInput(admin.handle("PATCH", "/admin/keys/" + id, "{\"team_id\": \"team_nope\"}"), "team_id",
        "team_id: no team 'team_nope'");

    assertThat(ok(admin.handle("GET", "/admin/keys/" + id, null)).get("rpm").asLong()).isEqualTo(5);
  }

  static Stream<Arguments> badQueries() {
    return Stream.of(
        Arguments.of("/admin/spend?group_by=week", "group_by", "group_by: must be key, team, model or day, was 'week'"),
        Arguments.of("/admin/spend?from=yesterday", "from", "from: expected an ISO-8601 time such as 2027-01-31T12:00:00Z or a day such as 2027-01-31, was 'yesterday'"),
        Arguments.of("/admin/spend?to=2026-13-01", "to", "to: expected an ISO-8601 time such as 2027-01-31T12:00:00Z or a day such as 2027-01-31, was '2026-13-01'"),
        Arguments.of("/admin/spend?from=2026-12-05&to=2026-12-01", "to", "to: must be after from (2026-12-05T00:00:00Z), was 2026-12-02T00:00:00Z"),
        Arguments.of("/admin/spend?group=key", "group", "unknown query parameter 'group'; known: group_by, from, to"),
        Arguments.of("/admin/spend?group_by=key&group_by=day", "group_by", "group_by: given twice"),
        Arguments.of("/admin/requests?limit=0", "limit", "limit: must be between 1 and 1000, was 0"),
        Arguments.of("/admin/requests?limit=-5", "limit", "limit: must be between 1 and 1000, was -5"),
        Arguments.of("/admin/requests?limit=5000", "limit", "limit: must be between 1 and 1000, was 5000"),
        Arguments.of("/admin/requests?limit=ten", "limit", "limit: must be a whole number, was 'ten'"),
        Arguments.of("/admin/requests?status=abc", "status", "status: must be a whole number, was 'abc'"),
        Arguments.of("/admin/requests?status=99", "status", "status: must be between 100 and 599, was 99"),
        Arguments.of("/admin/requests?key_id=", "key_id", "key_id: must not be empty"),
        Arguments.of("/admin/requests?team=x", "team", "unknown query parameter 'team'; known: limit, key_id, model, status"),
        Arguments.of("/admin/keys?limit=5", "limit", "unknown query parameter 'limit'; this route takes none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badQueries")
  void aBadQueryIsA400NamingTheParameter(String target, String param, String message) throws Exception {
    assertBadInput(admin.handle("GET", target, null), param, message);
  }

  // Helpers

  JsonNode createTeam(String body) throws Exception {
    AdminResponse r = admin.handle("POST", "/admin/teams", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  JsonNode createKey(String body) throws Exception {
    AdminResponse r = admin.handle("POST", "/admin/keys", body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  KeyContext context(String secret) {
    return ((Authentication.Accepted) platform.authenticate(secret)).key();
  }

  /** One answered request of this key: admitted, completed with its cost, recorded. */
  void spend(String secret, String model, double cost) {
    KeyContext key = context(secret);
    Admission a = platform.admit(key, model);
    assertThat(a).isInstanceOf(Admission.Admitted.class);
    ((Admission.Admitted) a).permit().complete(10, 5, cost);
    platform.record(RequestRecord.builder(clock.instant()).keyId(key.keyId()).teamId(key.teamId()).model(model)
        .answeredBy(model).tokens(10, 5).costUsd(cost).status(200).build());
  }

  static JsonNode ok(AdminResponse r) throws Exception {
    assertThat(r.status()).as(r.body()).isBetween(200, 201);
    return JSON.readTree(r.body());
  }

  static JsonNode error(AdminResponse r) throws Exception {
    return JSON.readTree(r.body()).get("error");
  }

  static void assertBadInput(AdminResponse r, String param, String message) throws Exception {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonNode e = error(r);
    assertThat(e.get("message").asText()).isEqualTo(message);
    assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
    if (param == null) {
      assertThat(e.get("param").isNull()).isTrue();
    } else {
      assertThat(e.get("param").asText()).isEqualTo(param);
    }
  }
}
