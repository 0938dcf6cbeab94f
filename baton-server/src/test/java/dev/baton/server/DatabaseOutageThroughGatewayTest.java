package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.baton.testkit.PostgresServer;
import dev.baton.testkit.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL killed while the gateway serves virtual keys under load, then brought back: no request fails,
 * every request's row is written exactly once, and {@code /health} says so within 10 s each way.
 */
class DatabaseOutageThroughGatewayTest {

  @TempDir
  Path dataDir;

  PostgresServer server;
  String jdbcUrl;
  KeysGateway env;

  @BeforeEach
  void start() {
    server = PostgresServer.start();
    jdbcUrl = server.jdbcUrl(server.createDatabase());
    env = new KeysGateway("""
        database:
          url: %s
          user: postgres
          data_dir: %s
        """.formatted(jdbcUrl, dataDir));
    env.smart.always(Reply.json(200, chatCompletion("smart-model", "Hello from smart")));
  }

  @AfterEach
  void stop() {
    env.close();
    server.close();
  }

  String health() {
    try {
      HttpResponse<String> health = env.send("GET", "/health", null);
      assertThat(health.statusCode()).as("/health answers 200 whatever the database does").isEqualTo(200);
      return health.body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theDatabaseKilledMidLoadFailsNoRequestLosesNoRowAndWritesNoneTwice() throws Exception {
    KeysGateway.Answer created = env.createKey("{\"name\": \"busy\", \"rpm\": 100000, \"max_budget_usd\": 1000}");
    OpenAIClient client = env.client(created.text("key"));
    Set<String> answered = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      load.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; running.get(); i++) {
          String id = "load-" + thread + "-" + i;
          try {
            client.chat().completions().create(ChatCompletionCreateParams.builder().model("smart")
                .addUserMessage("Hello").putAdditionalHeader("x-request-id", id).build());
            answered.add(id);
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }));
    }
    Thread.sleep(1000);

    server.kill();
    long killed = System.nanoTime();
    VirtualKeysContract.eventually(Duration.ofSeconds(10), "/health degraded", this::health,
        body -> body.equals("{\"status\":\"degraded\",\"database\":\"down\"}"));
    Duration noticedDown = Duration.ofNanos(System.nanoTime() - killed);
    Thread.sleep(1500);
    assertThat(Files.exists(dataDir.resolve("spend-journal.jsonl"))).as("rows wait in the journal").isTrue();
    KeysGateway.Answer adminDuringOutage = env.admin("GET", "/admin/keys");
    HttpResponse<String> storedDuringOutage = env.send("GET", "/v1/responses/resp_not_held_here", null,
        "Authorization", "Bearer " + KeysGateway.MASTER_KEY);
    server.restart();
    long back = System.nanoTime();
    VirtualKeysContract.eventually(Duration.ofSeconds(10), "/health ok", this::health,
        body -> body.equals("{\"status\":\"ok\",\"database\":\"up\"}"));
    Duration noticedUp = Duration.ofNanos(System.nanoTime() - back);
    Thread.sleep(500);
    running.set(false);
    for (Thread t : load) {
      t.join(Duration.ofSeconds(30));
    }

    assertThat(failures).as("requests during the outage").isEmpty();
    assertThat(noticedDown).isLessThan(Duration.ofSeconds(10));
    assertThat(noticedUp).isLessThan(Duration.ofSeconds(10));
    assertThat(adminDuringOutage.status()).as(adminDuringOutage.toString()).isEqualTo(503);
    assertThat(storedDuringOutage.statusCode()).as("a stored response while the database is away: not a 404")
        .isEqualTo(503);
    assertThat(storedDuringOutage.body()).contains("database_unavailable");
    long[] counts = VirtualKeysContract.eventually(Duration.ofSeconds(15), "every row written",
        this::rowCounts, c -> c[0] >= answered.size());
    assertThat(counts[0]).as("rows (%d requests answered; down noticed after %d ms, up after %d ms)",
        answered.size(), noticedDown.toMillis(), noticedUp.toMillis()).isEqualTo(answered.size());
    assertThat(counts[1]).as("distinct request ids: none written twice").isEqualTo(answered.size());
    assertThat(requestIds()).containsExactlyInAnyOrderElementsOf(answered);
    JsonNode spend = null;
    for (JsonNode group : env.admin("GET", "/admin/spend?group_by=key").json().path("data")) {
      if (group.path("group").asText().equals(created.text("id"))) {
        spend = group;
      }
    }
    assertThat(spend).as("the key's spend").isNotNull();
    assertThat(spend.path("spend_usd").asDouble()).isCloseTo(answered.size() * KeysGateway.SMART_ANSWER_USD,
        Offset.offset(1e-6));
    assertThat(env.admin("GET", "/admin/keys/" + created.text("id")).json().path("spend_usd").asDouble())
        .isCloseTo(answered.size() * KeysGateway.SMART_ANSWER_USD, Offset.offset(1e-6));
    VirtualKeysContract.eventually(Duration.ofSeconds(5), "the journal replayed and removed",
        () -> Files.exists(dataDir.resolve("spend-journal.jsonl")), exists -> !exists);
  }

  long[] rowCounts() {
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), count(DISTINCT request_id) FROM baton_requests"
            + " WHERE request_id LIKE 'load-%'")) {
      r.next();
      return new long[] {r.getLong(1), r.getLong(2)};
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  List<String> requestIds() throws java.sql.SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT request_id FROM baton_requests WHERE request_id LIKE 'load-%'")) {
      while (r.next()) {
        ids.add(r.getString(1));
      }
    }
    return ids;
  }
}
