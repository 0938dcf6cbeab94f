package dev.baton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.DatabaseConfig;
import dev.baton.store.ApiKey;
import dev.baton.store.AttemptRecord;
import dev.baton.store.BudgetPeriod;
import dev.baton.store.Limits;
import dev.baton.store.RequestQuery;
import dev.baton.store.RequestRecord;
import dev.baton.store.SpendQuery;
import dev.baton.store.SpendQuery.GroupBy;
import dev.baton.store.SpendRow;
import dev.baton.store.Store;
import dev.baton.store.StoredResponse;
import dev.baton.store.Team;
import dev.baton.store.keys.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Store} does, whatever the database: run once per database by its subclasses, so the
 * embedded SQLite file and PostgreSQL are held to the same behaviour.
 */
abstract class StoreContractTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path dataDir;

  DatabaseConfig config;
  Store store;

  /** A configuration naming a fresh, empty database. */
  abstract DatabaseConfig freshDatabase(Path dataDir);

  @BeforeEach
  void open() {
    config = freshDatabase(dataDir);
    store = JdbcStore.open(config);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aTeamIsStoredWithEveryFieldAndFoundById() {
    Team team = team("team_a", "Search", new Limits(List.of("smart", "fast"), 60L, 10_000L, 50.0,
        BudgetPeriod.parse("30d")), Map.of("owner", "ana", "cost_center", 42));

    store.insertTeam(team);

    assertThat(store.team("team_a")).contains(team);
    assertThat(store.teams()).containsExactly(team);
  }

  @Test
  void aTeamWithoutLimitsKeepsThemUnset() {
    Team team = team("team_b", "Open", Limits.NONE, Map.of());

    store.insertTeam(team);

    assertThat(store.team("team_b").orElseThrow().limits()).isEqualTo(Limits.NONE);
  }

  @Test
  void updatingATeamReplacesItsFields() {
    store.insertTeam(team("team_a", "Search", Limits.NONE, Map.of()));
    Team changed = new Team("team_a", "Search v2", new Limits(List.of("fast"), null, 500L, 5.0, null),
        Map.of("k", List.of(1, 2)), true, T0, T0.plusSeconds(60));

    boolean updated = store.updateTeam(changed);

    assertThat(updated).isTrue();
    assertThat(store.team("team_a")).contains(changed);
    assertThat(store.updateTeam(team("team_missing", "x", Limits.NONE, Map.of()))).isFalse();
  }

  @Test
  void deletingATeamRevokesItsKeysAndHidesIt() {
    store.insertTeam(team("team_a", "Search", Limits.NONE, Map.of()));
    store.insertKey(key("key_1", "one", "team_a"));
    store.insertKey(key("key_2", "two", "team_a"));
    store.insertKey(key("key_3", "three", null));

    assertThat(store.deleteTeam("team_a", T0.plusSeconds(5))).contains(List.of("key_1", "key_2"));

    assertThat(store.team("team_a")).isEmpty();
    assertThat(store.teams()).isEmpty();
    assertThat(store.keys()).extracting(ApiKey::id).containsExactly("key_3");
    assertThat(store.key("key_1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(store.deleteTeam("team_a", T0.plusSeconds(6))).isEmpty();
  }

  @Test
  void aKeyIsStoredWithEveryFieldAndFoundByIdAndByHash() {
    store.insertTeam(team("team_a", "Search", Limits.NONE, Map.of()));
    ApiKey key = new ApiKey("key_1", "ci bot", Secrets.hash("sk-baton-secret1"), "sk-baton-secr", "team_a",
        new Limits(List.of("smart"), 10L, 2000L, 1.5, BudgetPeriod.parse("1d")),
        Map.of("env", "prod", "nested", Map.of("a", true)), false, T0.plusSeconds(7 * 86400), T0, T0, null);

    store.insertKey(key);

    assertThat(store.key("key_1")).contains(key);
    assertThat(store.keyByHash(Secrets.hash("sk-baton-secret1"))).contains(key);
    assertThat(store.keyByHash(Secrets.hash("sk-baton-other"))).isEmpty();
    assertThat(store.keys()).containsExactly(key);
  }

  @Test
  void aRevokedKeyIsNotFoundByItsSecretNorListedButKeptById() {
    store.insertKey(key("key_1", "one", null));

    assertThat(store.revokeKey("key_1", T0.plusSeconds(1))).isTrue();

    assertThat(store.keyByHash(Secrets.hash("sk-baton-key_1"))).isEmpty();
    assertThat(store.keys()).isEmpty();
    assertThat(store.key("key_1").orElseThrow().revokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(store.revokeKey("key_1", T0.plusSeconds(2))).as("revoking twice").isFalse();
    assertThat(store.updateKey(key("key_1", "renamed", null))).as("a revoked key cannot be changed").isFalse();
  }

  @Test
  void updatingAKeyChangesItsFieldsButNeverItsSecret() {
    store.insertKey(key("key_1", "one", null));
    ApiKey original = store.key("key_1").orElseThrow();
    ApiKey changed = new ApiKey("key_1", "renamed", "another-hash", "sk-baton-zzzz", null,
        new Limits(List.of(), 5L, null, 2.0, null), Map.of("x", 1), true, T0.plusSeconds(99), T0, T0.plusSeconds(3), null);

    assertThat(store.updateKey(changed)).isTrue();

    ApiKey read = store.key("key_1").orElseThrow();
    assertThat(read.name()).isEqualTo("renamed");
    assertThat(read.blocked()).isTrue();
    assertThat(read.limits().rpm()).isEqualTo(5L);
    assertThat(read.hash()).isEqualTo(original.hash());
    assertThat(read.prefix()).isEqualTo(original.prefix());
  }

  @Test
  void requestRowsAreWrittenOnceEvenWhenWrittenTwice() {
    RequestRecord a = row("req_a", T0, "key_1", "team_a", "smart", 0.01, 200);
    RequestRecord b = row("req_b", T0.plusSeconds(1), "key_1", "team_a", "smart", 0.02, 200);
    RequestRecord c = row("req_c", T0.plusSeconds(2), "key_2", null, "fast", 0.0, 502);

    assertThat(store.insertRequests(List.of(a, b))).isEqualTo(2);
    assertThat(store.insertRequests(List.of(a, b, c))).isEqualTo(1);

    assertThat(store.requests(RequestQuery.latest(10))).extracting(RequestRecord::id).containsExactly("req_c", "req_b", "req_a");
  }

  @Test
  void aRequestRowKeepsEveryField() {
    RequestRecord row = RequestRecord.builder(T0).id("req_full").keyId("key_1").teamId("team_a")
        .route("/v1/chat/completions").model("smart").answeredBy("fast")
        .attempts(List.of(new AttemptRecord("smart", "rate_limited", "429 from openai", 120),
            new AttemptRecord("fast", "success", null, 340)))
        .tokens(12, 34).costUsd(0.000123).latencyMs(470).status(200).cache("miss").requestId("rid-1")
        .content("Hello, fallback models! ünïcødé", "Hi there").build();

    store.insertRequests(List.of(row));

    assertThat(store.requests(RequestQuery.latest(1))).containsExactly(row);
  }

  @Test
  void theRequestLogIsFilteredByKeyModelAndStatusAndLimited() {
    List<RequestRecord> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(row("req_" + i, T0.plusSeconds(i), i % 2 == 0 ? "key_even" : "key_odd", null,
          i < 5 ? "smart" : "fast", 0.001, i == 3 ? 429 : 200));
    }
    store.insertRequests(rows);

    assertThat(store.requests(new RequestQuery(3, null, null, null))).extracting(RequestRecord::id)
        .containsExactly("req_9", "req_8", "req_7");
    assertThat(store.requests(new RequestQuery(100, "key_odd", null, null))).extracting(RequestRecord::id)
        .containsExactly("req_9", "req_7", "req_5", "req_3", "req_1");
    assertThat(store.requests(new RequestQuery(100, "key_odd", "smart", null))).extracting(RequestRecord::id)
        .containsExactly("req_3", "req_1");
    assertThat(store.requests(new RequestQuery(100, null, null, 429))).extracting(RequestRecord::id)
        .containsExactly("req_3");
  }

  @Test
  void spendIsSummedByKeyTeamModelAndDay() {
    Instant day1 = Instant.parse("2026-12-01T23:59:59Z");
    Instant day2 = Instant.parse("2026-12-02T00:00:00Z");
    store.insertRequests(List.of(
        row("r1", day1, "key_1", "team_a", "smart", 1.25, 200),
        row("r2", day2, "key_1", "team_a", "fast", 0.25, 200),
        row("r3", day2, "key_2", null, "smart", 2.00, 200),
        row("r4", day2, null, null, "smart", 0.50, 200)));

    assertThat(store.spend(new SpendQuery(GroupBy.KEY, null, null))).containsExactly(
        new SpendRow("key_2", 2.00, 1, 10, 20), new SpendRow("key_1", 1.50, 2, 20, 40),
        new SpendRow(null, 0.50, 1, 10, 20));
    assertThat(store.spend(new SpendQuery(GroupBy.TEAM, null, null))).containsExactly(
        new SpendRow(null, 2.50, 2, 20, 40), new SpendRow("team_a", 1.50, 2, 20, 40));
    assertThat(store.spend(new SpendQuery(GroupBy.MODEL, null, null))).containsExactly(
        new SpendRow("smart", 3.75, 3, 30, 60), new SpendRow("fast", 0.25, 1, 10, 20));
    assertThat(store.spend(new SpendQuery(GroupBy.DAY, null, null))).containsExactly(
        new SpendRow("2026-12-01", 1.25, 1, 10, 20), new SpendRow("2026-12-02", 2.75, 3, 30, 60));
  }

  @Test
  void spendCountsFromInclusiveToExclusive() {
    store.insertRequests(List.of(
        row("r1", T0, "key_1", null, "smart", 1.0, 200),
        row("r2", T0.plusSeconds(10), "key_1", null, "smart", 2.0, 200),
        row("r3", T0.plusSeconds(20), "key_1", null, "smart", 4.0, 200)));

    assertThat(store.spend(new SpendQuery(GroupBy.KEY, T0, T0.plusSeconds(20))))
        .containsExactly(new SpendRow("key_1", 3.0, 2, 20, 40));
    assertThat(store.spend(new SpendQuery(GroupBy.KEY, T0.plusSeconds(10), null)))
        .containsExactly(new SpendRow("key_1", 6.0, 2, 20, 40));
    assertThat(store.spend(new SpendQuery(GroupBy.KEY, T0.plusSeconds(30), null))).isEmpty();
  }

  @Test
  void spendSinceAMomentIsSummedPerKeyAndPerTeam() {
    store.insertRequests(List.of(
        row("r1", T0, "key_1", "team_a", "smart", 1.0, 200),
        row("r2", T0.plusSeconds(10), "key_1", "team_a", "smart", 2.0, 200),
        row("r3", T0.plusSeconds(10), "key_2", "team_a", "smart", 4.0, 200),
        row("r4", T0.plusSeconds(10), "key_3", null, "smart", 8.0, 200)));

    assertThat(store.spendByKey(T0.plusSeconds(5))).containsExactlyInAnyOrderEntriesOf(
        Map.of("key_1", 2.0, "key_2", 4.0, "key_3", 8.0));
    assertThat(store.spendByTeam(T0)).containsExactlyInAnyOrderEntriesOf(Map.of("team_a", 7.0));
    assertThat(store.spendOf("key_1", false, T0)).isEqualTo(3.0);
    assertThat(store.spendOf("team_a", true, T0.plusSeconds(5))).isEqualTo(6.0);
    assertThat(store.spendOf("key_none", false, T0)).isZero();
  }

  @Test
  void spendOverManyHoursAddsTheWholeHoursSumsToTheRowsOfTheHourItStartsIn() {
    Instant since = T0.plus(Duration.ofMinutes(20)); // 10:20, in the middle of an hour
    store.insertRequests(List.of(
        row("h1", T0.plus(Duration.ofMinutes(5)), "key_1", "team_a", "smart", 1.0, 200),      // 10:05, before
        row("h2", T0.plus(Duration.ofMinutes(25)), "key_1", "team_a", "smart", 2.0, 200),     // 10:25
        row("h3", T0.plus(Duration.ofMinutes(70)), "key_1", null, "smart", 4.0, 200),         // 11:10
        row("h4", T0.plus(Duration.ofHours(30)), "key_1", "team_a", "smart", 8.0, 200)));     // a day later
    store.insertRequests(List.of(
        row("h5", T0.plus(Duration.ofMinutes(80)), "key_1", "team_a", "smart", 16.0, 200),    // 11:20
        row("h2", T0.plus(Duration.ofMinutes(25)), "key_1", "team_a", "smart", 2.0, 200)));   // replayed: once

    assertThat(store.spendOf("key_1", false, since)).isEqualTo(2.0 + 4.0 + 8.0 + 16.0);
    assertThat(store.spendOf("team_a", true, since)).isEqualTo(2.0 + 8.0 + 16.0);
    assertThat(store.spendOf("key_1", false, T0.plus(Duration.ofHours(1)))).as("from a whole hour").isEqualTo(28.0);
    assertThat(store.spendByKey(Instant.EPOCH)).containsExactlyInAnyOrderEntriesOf(Map.of("key_1", 31.0));
    assertThat(store.spendByTeam(since)).containsExactlyInAnyOrderEntriesOf(Map.of("team_a", 26.0));
    assertThat(store.spend(new SpendQuery(GroupBy.KEY, null, null)))
        .as("the log itself holds each request once").extracting(SpendRow::spendUsd).containsExactly(31.0);
  }

  @Test
  void aStoredResponseIsReadBackUntilItExpiresOrIsDeleted() {
    StoredResponse r = new StoredResponse("resp_1", "key_1", T0, T0.plusSeconds(3600),
        "{\"id\":\"resp_1\",\"output\":[{\"type\":\"message\"}]}");

    store.putResponse(r);

    assertThat(store.response("resp_1", T0.plusSeconds(10))).contains(r);
    assertThat(store.response("resp_1", T0.plusSeconds(3600))).as("expired").isEmpty();
    assertThat(store.deleteResponse("resp_1")).isTrue();
    assertThat(store.response("resp_1", T0)).isEmpty();
    assertThat(store.deleteResponse("resp_1")).isFalse();
  }

  @Test
  void storingAResponseAgainReplacesIt() {
    store.putResponse(new StoredResponse("resp_1", null, T0, null, "{\"v\":1}"));

    store.putResponse(new StoredResponse("resp_1", null, T0, null, "{\"v\":2}"));

    assertThat(store.response("resp_1", T0.plusSeconds(1)).orElseThrow().document()).isEqualTo("{\"v\":2}");
  }

  @Test
  void manyResponsesAreStoredInOneBatchReplacingThoseStoredBefore() {
    store.putResponse(new StoredResponse("resp_1", "key_1", T0, null, "{\"v\":1}"));

    store.putResponses(List.of(
        new StoredResponse("resp_1", "key_2", T0.plusSeconds(5), T0.plusSeconds(60), "{\"v\":2}"),
        new StoredResponse("resp_2", null, T0, null, "{\"v\":3}"),
        new StoredResponse("resp_3", "key_1", T0, T0.plusSeconds(60), "{\"v\":4}")));

    assertThat(store.response("resp_1", T0.plusSeconds(10))).contains(
        new StoredResponse("resp_1", "key_2", T0.plusSeconds(5), T0.plusSeconds(60), "{\"v\":2}"));
    assertThat(store.response("resp_2", T0).orElseThrow().document()).isEqualTo("{\"v\":3}");
    assertThat(store.response("resp_3", T0).orElseThrow().document()).isEqualTo("{\"v\":4}");
    assertThat(store.response("resp_1", T0.plusSeconds(60))).as("the replacement's expiry holds").isEmpty();
  }

  @Test
  void expiredResponsesArePurged() {
    store.putResponse(new StoredResponse("resp_old", null, T0, T0.plusSeconds(1), "{}"));
    store.putResponse(new StoredResponse("resp_new", null, T0, T0.plusSeconds(100), "{}"));
    store.putResponse(new StoredResponse("resp_forever", null, T0, null, "{}"));

    assertThat(store.purgeResponses(T0.plusSeconds(50))).isEqualTo(1);

    assertThat(store.response("resp_new", T0)).isPresent();
    assertThat(store.response("resp_forever", T0)).isPresent();
  }

  @Test
  void everythingIsStillThereAfterReopeningAndMigratingAgain() {
    store.insertTeam(team("team_a", "Search", Limits.NONE, Map.of()));
    store.insertKey(key("key_1", "one", "team_a"));
    store.insertRequests(List.of(row("r1", T0, "key_1", "team_a", "smart", 1.0, 200)));
    store.putResponse(new StoredResponse("resp_1", "key_1", T0, null, "{}"));
    store.close();

    store = JdbcStore.open(config);

    assertThat(store.teams()).extracting(Team::id).containsExactly("team_a");
    assertThat(store.keys()).extracting(ApiKey::id).containsExactly("key_1");
    assertThat(store.requests(RequestQuery.latest(5))).extracting(RequestRecord::id).containsExactly("r1");
    assertThat(store.response("resp_1", T0)).isPresent();
  }

  @Test
  void pingSucceedsOnAReachableDatabase() {
    store.ping();
  }

  static Team team(String id, String name, Limits limits, Map<String, Object> metadata) {
    return new Team(id, name, limits, metadata, false, T0, T0);
  }

  static ApiKey key(String id, String name, String teamId) {
    String secret = "sk-baton-" + id;
    return new ApiKey(id, name, Secrets.hash(secret), Secrets.displayPrefix(secret), teamId, Limits.NONE, Map.of(),
        false, null, T0, T0, null);
  }

  static RequestRecord row(String id, Instant time, String keyId, String teamId, String model, double cost, int status) {
    return RequestRecord.builder(time).id(id).keyId(keyId).teamId(teamId).route("/v1/chat/completions").model(model)
        .answeredBy(model).tokens(10, 20).costUsd(cost).latencyMs(100).status(status).build();
  }
}
