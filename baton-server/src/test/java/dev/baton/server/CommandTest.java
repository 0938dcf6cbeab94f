package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.numberedStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.Reply;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baton command's four subcommands, as a user runs them. */
class CommandTest {

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      int exit = Main.run(args);
      return new Run(exit, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void demoShowsTheAnswerAndTheAttemptTrailAndExitsZero() {
    Run demo = run("demo");

    assertThat(demo.exit()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.out())
        .contains("Hello, fallback models!")
        .contains("gpt-4o").contains("failed: 503")
        .contains("claude-3-5-haiku").contains("failed: 429")
        .contains("llama3.2").contains("answered")
        .contains("HTTP 200").contains("x-baton-model: llama3.2").contains("x-baton-attempts: 4")
        .contains("Answer from llama3.2");
  }

  @Test
  void checkPrintsWhatWouldBeServed(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("baton.yaml");
    Files.writeString(config, """
        server:
          port: 4100
        models:
          - name: smart
            provider: mock
            model: smart-1
            timeout: 20s
          - name: fast
            provider: mock
            model: fast-1
        router:
          fallbacks:
            smart: [fast]
        """);

    Run check = run("check", "--config", config.toString());

    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(check.out()).contains("baton.yaml is valid").contains("http://127.0.0.1:4100")
        .contains("smart").contains("mock/smart-1").contains("timeout 20s").contains("smart -> fast");
  }

  @Test
  void checkDescribesTheCacheAndRefusesARedisCacheWithoutRedis(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("cache.yaml");
    String models = """
        models:
          - name: smart
            provider: mock
            model: smart-1
        """;
    Files.writeString(config, models + """
        cache:
          ttl: 5m
          scope: key
          models: [smart]
        """);
    Path redis = dir.resolve("redis.yaml");
    Files.writeString(redis, models + "cache:\n  type: redis\n");

    Run check = run("check", "--config", config.toString());
    Run bad = run("check", "--config", redis.toString());

    assertThat(check.exit()).as(check.err()).isZero();
    assertThat(check.out()).contains("Cache: local, entries served for 5m, at most 10000 entries and 256MB,"
        + " shared by no two keys, for smart.");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("redis.yaml:6: cache.type: a redis cache needs redis.url");
  }

  @Test
  void checkExitsTwoNamingTheKeyAndLineOfABadConfig(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("bad.yaml");
    Files.writeString(config, """
        models:
          - name: smart
            provider: mock
            model: smart-1
            retires: 2
        router:
          fallbacks:
            smart: [ghost]
        """);

    Run check = run("check", "--config", config.toString());

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains("bad.yaml:5").contains("retires").contains("did you mean 'retries'");
  }

  @Test
  void checkExitsTwoWhenAProviderLacksItsKey(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("keys.yaml");
    Files.writeString(config, """
        models:
          - name: smart
            provider: openai
            model: gpt-4o
            api_key: ${BATON_TEST_SURELY_UNSET_KEY:-}
        """);

    Run check = run("check", "--config", config.toString());

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains("OPENAI_API_KEY");
  }

  @Test
  void checkExitsTwoForAMissingFile() {
    Run check = run("check", "--config", "/nonexistent/baton.yaml");

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains("/nonexistent/baton.yaml").contains("no such file");
  }

  @Test
  void chatAnswersThroughTheSdk() {
    Run chat = run("chat", "--model", "mock/first", "--fallback", "mock/second", "Hello", "there");

    assertThat(chat.exit()).as(chat.err()).isZero();
    assertThat(chat.out()).contains("Hello from first! You said: Hello there");
    assertThat(chat.err()).contains("answered by mock/first after 1 attempt");
  }

  @Test
  void chatRejectsAMalformedModelWithExitTwo() {
    Run chat = run("chat", "--model", "gpt-4o", "hi");

    assertThat(chat.exit()).isEqualTo(2);
    assertThat(chat.err()).contains("'gpt-4o' is not a provider/model string");
  }

  @Test
  void unknownSubcommandsAndMissingOptionsAreUsageErrors() {
    assertThat(run("serve").exit()).isEqualTo(2);
    assertThat(run("frobnicate").exit()).isEqualTo(2);
  }

  @Test
  void serveDrainsInFlightStreamsOnSigterm(@TempDir Path dir) throws Exception {
    try (FakeUpstream upstream = FakeUpstream.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      upstream.always(Reply.sse(numberedStream("slow-model", 20)).chunkEvery(Duration.ofMillis(75)));
      Path config = dir.resolve("serve.yaml");
      Files.writeString(config, """
          server:
            shutdown_grace: 20s
          models:
            - name: slow
              provider: openai-compatible
              model: slow-model
              api_base: %s/v1
          """.formatted(upstream.url()));
      String java = ProcessHandle.current().info().command().orElse("java");
      Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "dev.baton.server.Main", "serve", "--config", config.toString(), "--port", "0")
          .redirectErrorStream(true).start();
      try {
        BufferedReader output = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String url = null;
        for (String line; url == null && (line = output.readLine()) != null; ) {
          if (line.startsWith("Baton gateway listening on ")) {
            url = line.substring("Baton gateway listening on ".length()).split(" ")[0];
          }
        }
        assertThat(url).as("serve printed where it listens").isNotNull();
        CompletableFuture<HttpResponse<String>> stream = http.sendAsync(
            HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"slow\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"count\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        upstream.awaitRequests(1, Duration.ofSeconds(10));

        serve.destroy(); // SIGTERM

        assertThat(stream.get(20, TimeUnit.SECONDS).body()).contains("t19 ").endsWith("data: [DONE]\n\n");
        assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("exits after draining").isTrue();
        assertThat(serve.exitValue()).isIn(0, 143);
      } finally {
        serve.destroyForcibly();
      }
    }
  }

  @Test
  void everySubcommandHasHelp() {
    for (String command : List.of("serve", "demo", "chat", "check")) {
      Run help = run(command, "--help");
      assertThat(help.exit()).isZero();
      assertThat(help.out()).contains("Usage: baton " + command);
    }
  }
}
