package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.config.DatabaseConfig;
import dev.baton.config.LoggingConfig;
import dev.baton.store.KeyPlatform;
import dev.baton.store.RequestQuery;
import dev.baton.store.RequestRecord;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.PostgresServer;
import dev.baton.testkit.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code baton serve} as a process, with a database: a start with the database down exits 2 with one line,
 * and SIGTERM exits within 10 s even with the database gone or hung, its last rows kept in the journal for
 * the next start that reaches the database.
 */
class ServeWithDatabaseTest {

  static final String MASTER_KEY = "sk-admin-serve-test-0123456789";

  @TempDir
  Path dir;

  record Exit(int code, String out, String err, Duration took) {}

  Process serve(Path config) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "dev.baton.server.Main", "serve", "--config", config.toString(), "--port", "0").start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aStartWithTheDatabaseDownExitsTwoWithOneLineAndNoStackTrace() throws Exception {
    int nothingThere = freePort();
    Path config = dir.resolve("baton.yaml");
    Files.writeString(config, """
        server:
          master_key: %s
        models:
          - name: smart
            provider: mock
            model: smart-1
        database:
          url: postgres://baton:secret-db-password@127.0.0.1:%d/baton
        """.formatted(MASTER_KEY, nothingThere));
    long start = System.nanoTime();
    Process serve = serve(config);
    CompletableFuture<String> out = read(serve.getInputStream());
    CompletableFuture<String> err = read(serve.getErrorStream());

    assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("it gives up").isTrue();
    Exit exit = new Exit(serve.exitValue(), out.get(), err.get(), Duration.ofNanos(System.nanoTime() - start));

    assertThat(exit.code()).as(exit.toString()).isEqualTo(2);
    assertThat(exit.err().strip().lines().toList()).as("stderr").containsExactly(
        "baton: database: cannot connect to PostgreSQL 127.0.0.1:" + nothingThere + "/baton: Connection refused");
    assertThat(exit.out()).as("stdout").isEmpty();
    assertThat(exit.err()).doesNotContain("secret-db-password");
  }

  @ParameterizedTest(name = "the database {0}")
  @ValueSource(strings = {"killed", "hung"})
  void sigtermExitsWithinTenSecondsWithTheDatabaseAwayAndTheNextStartWritesItsRows(String outage) throws Exception {
    try (PostgresServer server = PostgresServer.start();
        FakeUpstream upstream = FakeUpstream.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      upstream.always(Reply.json(200, chatCompletion("smart-model", "Hello")));
      String url = server.jdbcUrl(server.createDatabase());
      Path dataDir = dir.resolve("data");
      Path config = dir.resolve("baton.yaml");
      Files.writeString(config, """
          server:
            master_key: %s
            shutdown_grace: 30s
          models:
            - name: smart
              provider: openai-compatible
              model: smart-model
              api_base: %s/v1
          database:
            url: %s
            user: postgres
            data_dir: %s
          """.formatted(MASTER_KEY, upstream.url(), url, dataDir));
      Process serve = serve(config);
      CompletableFuture<String> err = read(serve.getErrorStream());
      try {
        String base = listeningUrl(serve);
        for (int i = 0; i < 5; i++) {
          assertThat(chat(http, base, "before-" + i).statusCode()).isEqualTo(200);
        }
        Thread.sleep(1000); // written by now (every 500 ms)
        if (outage.equals("killed")) {
          server.kill();
        } else {
          server.freeze();
        }
        for (int i = 0; i < 10; i++) {
          assertThat(chat(http, base, "during-" + i).statusCode()).as("requests go on").isEqualTo(200);
        }
        Thread.sleep(700); // the writer is now stuck on (or failed against) the database

        long sigterm = System.nanoTime();
        serve.destroy(); // SIGTERM
        boolean exited = serve.waitFor(15, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - sigterm);

        assertThat(exited).as("exited; its log:%n%s", exited ? err.get() : "").isTrue();
        assertThat(took).as("SIGTERM to exit with the database %s", outage).isLessThan(Duration.ofSeconds(10));
        assertThat(serve.exitValue()).isIn(0, 143);
      } finally {
        serve.destroyForcibly();
        if (outage.equals("hung")) {
          server.thaw();
        }
      }
      assertThat(Files.exists(dataDir.resolve(KeyPlatform.JOURNAL_FILE))).as("the journal").isTrue();

      if (outage.equals("killed")) {
        server.restart();
      }
      DatabaseConfig database = new DatabaseConfig(url, "postgres", null, dataDir);
      try (KeyPlatform next = KeyPlatform.open(database, LoggingConfig.defaults(), List::of, Clock.systemUTC())) {
        List<RequestRecord> rows = next.store().requests(RequestQuery.latest(100));
        assertThat(rows).extracting(RequestRecord::requestId).as("each row once, none lost")
            .containsExactlyInAnyOrder("before-0", "before-1", "before-2", "before-3", "before-4", "during-0",
                "during-1", "during-2", "during-3", "during-4", "during-5", "during-6", "during-7", "during-8",
                "during-9");
      }
      assertThat(Files.exists(dataDir.resolve(KeyPlatform.JOURNAL_FILE))).as("replayed and removed").isFalse();
    }
  }

  static HttpResponse<String> chat(HttpClient http, String base, String requestId) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + MASTER_KEY)
        .header("x-request-id", requestId)
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"smart\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  static String listeningUrl(Process serve) throws IOException {
    BufferedReader output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = output.readLine()) != null; ) {
      if (line.startsWith("Baton gateway listening on ")) {
        return line.substring("Baton gateway listening on ".length()).split(" ")[0];
      }
    }
    throw new AssertionError("serve ended without saying where it listens");
  }

  static CompletableFuture<String> read(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    });
  }
}
