package dev.baton.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.config.Secret;
import dev.baton.store.KeyPlatform;
import dev.baton.store.StoredResponse;
import dev.baton.store.admin.AdminResponse;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.store.keys.Authentication;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.limits.Admission;
import dev.baton.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract section 8 for keys, budgets and stored responses: three instances' key platforms over one
 * real PostgreSQL and one real Redis, each with its shared state, as three gateways would run them —
 * Redis killed and restarted mid-test included.
 */
class SeveralInstancesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TWO_SECONDS = Duration.ofSeconds(2);

  @TempDir
  Path dataDir;

  private final Clock clock = Clock.systemUTC();
  private final List<KeyPlatform> platforms = new ArrayList<>();
  private Cluster cluster;

  @BeforeEach
  void start() {
    cluster = new Cluster(3, clock);
    PostgresServer pg = PostgresServer.shared();
    String url = pg.jdbcUrl(pg.createDatabase());
    for (int i = 0; i < 3; i++) {
      DatabaseConfig database = new DatabaseConfig(url, "postgres", Secret.of("unused"), dataDir.resolve("i" + i));
      KeyPlatform platform = KeyPlatform.open(JdbcStore.open(database), database.dataDir(), LoggingConfig.defaults(),
          () -> List.of("smart", "fast"), clock, cluster.get(i).counters(), Duration.ofMillis(200));
      cluster.get(i).shareKeyChanges(platform.keys());
      platforms.add(platform);
    }
  }

  @AfterEach
  void stop() {
    platforms.forEach(KeyPlatform::close);
    cluster.close();
  }

  @Test
  void aKeyRevokedOrChangedThroughOneInstanceTakesEffectOnAllWithinTwoSeconds() throws Exception {
    JsonNode key = create(0, "/admin/keys", "{\"name\": \"app\"}");
    String secret = key.get("key").asText();
    for (int i = 0; i < 3; i++) {
      assertThat(admit(i, secret, "fast")).as("instance %d before the change", i).isInstanceOf(Admission.Admitted.class);
    }

    AdminResponse patched = platforms.get(1).admin().handle("PATCH", "/admin/keys/" + key.get("id").asText(),
        "{\"models\": [\"smart\"]}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    for (int i : new int[] {0, 2}) {
      int instance = i;
      Cluster.within(TWO_SECONDS, "instance " + i + " refuses a model the key no longer allows",
          () -> admit(instance, secret, "fast") instanceof Admission.Refused);
    }

    AdminResponse revoked = platforms.get(2).admin().handle("DELETE", "/admin/keys/" + key.get("id").asText(), null);
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
    for (int i : new int[] {0, 1}) {
      int instance = i;
      Cluster.within(TWO_SECONDS, "instance " + i + " refuses the revoked key",
          () -> platforms.get(instance).authenticate(secret) instanceof Authentication.Refused);
    }
  }

  @Test
  void aKeyRevokedWhileRedisWasDownTakesEffectEverywhereOnceItIsBack() throws Exception {
    JsonNode key = create(0, "/admin/keys", "{\"name\": \"app\"}");
    String secret = key.get("key").asText();
    for (int i = 0; i < 3; i++) {
      assertThat(admit(i, secret, "fast")).as("instance %d", i).isInstanceOf(Admission.Admitted.class);
    }
    cluster.redis.kill();
    cluster.awaitDown();
    assertThat(platforms.get(0).admin().handle("DELETE", "/admin/keys/" + key.get("id").asText(), null).status())
        .isEqualTo(200);
    assertThat(platforms.get(0).authenticate(secret)).as("on the instance that revoked it, at once")
        .isInstanceOf(Authentication.Refused.class);
    assertThat(admit(1, secret, "fast")).as("instance 1 goes on with what it knew").isInstanceOf(Admission.Admitted.class);

    cluster.redis.restart();
    cluster.awaitUp();
    for (int i : new int[] {1, 2}) {
      int instance = i;
      Cluster.within(TWO_SECONDS, "instance " + i + " refuses the key once Redis is back",
          () -> platforms.get(instance).authenticate(secret) instanceof Authentication.Refused);
    }
  }

  @Test
  void aBudgetCrossedOnOneInstanceIsRefusedOnEveryInstanceWithinTwoSeconds() throws Exception {
    String team = create(0, "/admin/teams", "{\"name\": \"search\", \"max_budget_usd\": 5}").get("id").asText();
    String secret = create(0, "/admin/keys", "{\"name\": \"app\", \"team_id\": \"" + team
        + "\", \"max_budget_usd\": 1}").get("key").asText();
    Admission first = admit(1, secret, "smart");
    assertThat(first).isInstanceOf(Admission.Admitted.class);
    assertThat(((Admission.Admitted) first).permit().complete(100, 100, 1.25)).as("this request crossed the budget")
        .isTrue();
    assertThat(admit(1, secret, "smart")).as("on the instance that crossed it, at once")
        .isInstanceOf(Admission.Refused.class);
    for (int i : new int[] {0, 2}) {
      int instance = i;
      Cluster.within(TWO_SECONDS, "instance " + i + " refuses the key over its budget",
          () -> admit(instance, secret, "smart") instanceof Admission.Refused r
              && r.refusal().message().startsWith("Budget exceeded for key 'app'"));
    }
  }

  @Test
  void aKeysRpmHoldsForTheWholeClusterThroughTheEnforcer() throws Exception {
    String secret = create(0, "/admin/keys", "{\"name\": \"app\", \"rpm\": 30}").get("key").asText();
    int admitted = 0;
    for (int n = 0; n < 90; n++) {
      if (admit(n % 3, secret, "smart") instanceof Admission.Admitted) {
        admitted++;
      }
    }
    assertThat(admitted).as("of 90 requests over three instances, key rpm 30").isBetween(27, 33);
    Admission refused = admit(0, secret, "smart");
    assertThat(refused).isInstanceOf(Admission.Refused.class);
    assertThat(((Admission.Refused) refused).refusal().headers()).containsEntry("x-ratelimit-limit-requests", "30")
        .containsEntry("x-ratelimit-remaining-requests", "0");
  }

  @Test
  void aResponseStoredThroughOneInstanceIsReadThroughAnotherWithinTwoSeconds() {
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    StoredResponse stored = new StoredResponse("resp_shared", "key_1", now, now.plus(Duration.ofDays(1)),
        "{\"id\":\"resp_shared\",\"object\":\"response\"}");
    platforms.get(0).responses().put(stored);
    Cluster.within(TWO_SECONDS, "instance 2 reads the response stored through instance 0",
        () -> platforms.get(2).responses().get("resp_shared").isPresent());
    assertThat(platforms.get(1).responses().get("resp_shared")).contains(stored);
  }

  private JsonNode create(int instance, String route, String body) throws Exception {
    AdminResponse r = platforms.get(instance).admin().handle("POST", route, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  private Admission admit(int instance, String secret, String model) {
    Authentication a = platforms.get(instance).authenticate(secret);
    assertThat(a).as("instance %d authenticates the key", instance).isInstanceOf(Authentication.Accepted.class);
    KeyContext key = ((Authentication.Accepted) a).key();
    return platforms.get(instance).admit(key, model);
  }
}
