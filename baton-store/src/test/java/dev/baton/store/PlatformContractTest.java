package dev.baton.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.store.admin.AdminResponse;
import dev.baton.store.jdbc.JdbcStore;
import dev.baton.store.keys.Authentication;
import dev.baton.store.keys.KeyContext;
import dev.baton.store.limits.Admission;
import dev.baton.store.limits.LocalCounters;
import dev.baton.store.responses.DatabaseResponseStore;
import dev.baton.testkit.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assembled platform on each database: restarts, secrets at rest, stored responses. */
abstract class PlatformContractTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @TempDir
  Path dataDir;

  final ManualClock clock = new ManualClock(NOW);
  DatabaseConfig config;
  KeyPlatform platform;

  abstract DatabaseConfig freshDatabase(Path dataDir);

  /** Folders besides {@code data_dir} where the database keeps its files, to search for secrets. */
  abstract List<Path> databaseFiles();

  @BeforeEach
  void open() {
    config = freshDatabase(dataDir);
    platform = start(LoggingConfig.defaults());
  }

  @AfterEach
  void close() {
    platform.close();
  }

  KeyPlatform start(LoggingConfig logging) {
    return KeyPlatform.open(JdbcStore.open(config), config.dataDir(), logging, () -> List.of("smart", "fast"), clock,
        new LocalCounters(), Duration.ofMillis(200));
  }

  @Test
  void keysTeamsAndBudgetSpendSurviveARestart() throws Exception {
    String team = create("/admin/teams", "{\"name\": \"search\", \"max_budget_usd\": 10}").get("id").asText();
    JsonNode key = create("/admin/keys", "{\"name\": \"app\", \"team_id\": \"" + team
        + "\", \"max_budget_usd\": 1, \"budget_duration\": \"1d\"}");
    String secret = key.get("key").asText();
    answered(secret, 0.75);
    answered(secret, 0.75);

    platform.close();
    platform = start(LoggingConfig.defaults());

    Admission next = platform.admit(accepted(secret), "smart");
    assertThat(next).as("the budget was spent before the restart").isInstanceOf(Admission.Refused.class);
    assertThat(((Admission.Refused) next).refusal().message()).startsWith("Budget exceeded for key 'app'")
        .contains("spent $1.5000 of its $1.0000 budget");
    AdminResponse t = platform.admin().handle("GET", "/admin/teams/" + team, null);
    assertThat(JSON.readTree(t.body()).get("spend_usd").asDouble()).isEqualTo(1.5);
    clock.advance(Duration.ofDays(1));
    assertThat(platform.admit(accepted(secret), "smart")).as("the next day's budget").isInstanceOf(Admission.Admitted.class);
  }

  @Test
  void theSecretIsNeverWrittenInClearToTheDatabaseTheJournalOrTheLog() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
    String secret;
    try {
      platform.close();
      platform = start(new LoggingConfig(true));
      secret = create("/admin/keys", "{\"name\": \"app\", \"rpm\": 100}").get("key").asText();
      answered(secret, 0.01);
      platform.authenticate(secret + "x"); // a wrong key is logged nowhere either
      platform.spendLog().flush();
      platform.close();
      platform = start(LoggingConfig.defaults());
    } finally {
      System.setErr(original);
    }

    List<Path> places = new ArrayList<>(List.of(dataDir));
    places.addAll(databaseFiles());
    for (Path place : places) {
      try (Stream<Path> files = Files.walk(place)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertThat(contains(file, secret)).as("the secret in %s", file).isFalse();
          assertThat(contains(file, secret.substring(13))).as("the secret's hidden part in %s", file).isFalse();
        }
      }
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).as("the log").isNotEmpty().doesNotContain(secret)
        .doesNotContain(secret.substring(13));
  }

  @Test
  void aStoredResponseIsReadableAtOnceAndFromTheDatabaseAfterARestart() {
    DatabaseResponseStore responses = platform.responses();
    StoredResponse r = new StoredResponse("resp_1", "key_1", NOW, NOW.plus(Duration.ofDays(30)),
        "{\"id\":\"resp_1\",\"object\":\"response\"}");

    responses.put(r);

    assertThat(responses.get("resp_1")).contains(r);
    platform.close();
    platform = start(LoggingConfig.defaults());
    assertThat(platform.responses().get("resp_1")).contains(r);
    assertThat(platform.responses().delete("resp_1")).isTrue();
    assertThat(platform.responses().get("resp_1")).isEmpty();
    assertThat(platform.responses().delete("resp_1")).isFalse();
  }

  @Test
  void aResponseDeletedBeforeItWasWrittenStaysDeleted() {
    DatabaseResponseStore responses = platform.responses();
    responses.put(new StoredResponse("resp_2", null, NOW, null, "{}"));

    assertThat(responses.delete("resp_2")).isTrue();
    responses.flush();

    assertThat(responses.get("resp_2")).isEmpty();
  }

  @Test
  void anExpiredResponseIsGone() {
    DatabaseResponseStore responses = platform.responses();
    responses.put(new StoredResponse("resp_3", null, NOW, NOW.plusSeconds(60), "{}"));
    responses.flush();

    clock.advance(Duration.ofSeconds(60));

    assertThat(responses.get("resp_3")).isEmpty();
    assertThat(responses.purgeExpired()).isEqualTo(1);
  }

  JsonNode create(String route, String body) throws Exception {
    AdminResponse r = platform.admin().handle("POST", route, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body());
  }

  KeyContext accepted(String secret) {
    Authentication a = platform.authenticate(secret);
    assertThat(a).isInstanceOf(Authentication.Accepted.class);
    return ((Authentication.Accepted) a).key();
  }

  void answered(String secret, double cost) {
    KeyContext key = accepted(secret);
    Admission a = platform.admit(key, "smart");
    assertThat(a).isInstanceOf(Admission.Admitted.class);
    ((Admission.Admitted) a).permit().complete(5, 5, cost);
    platform.record(RequestRecord.builder(clock.instant()).keyId(key.keyId()).teamId(key.teamId()).model("smart")
        .answeredBy("smart").tokens(5, 5).costUsd(cost).status(200).content("Hello, fallback models!", "Hi").build());
  }

  static boolean contains(Path file, String text) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Writes to two streams: the real stderr and a capture. */
  static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
