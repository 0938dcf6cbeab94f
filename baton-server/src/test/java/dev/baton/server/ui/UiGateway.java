package dev.baton.server.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.server.Gateway;
import dev.baton.store.KeyPlatform;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import dev.baton.wire.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gateway with a database (SQLite), virtual keys and the admin UI, in front of three fake upstreams
 * that fail the way the example does — {@code gpt-4o} is down (503), {@code claude} is rate
 * limited every other time (429, starting with the first), {@code llama} answers — with
 * {@code gpt-4o → claude → llama} as the fallback chain, so one request to {@code gpt-4o} shows the whole
 * trail: "gpt-4o 503 → claude 429 → llama answered".
 */
final class UiGateway implements AutoCloseable {

  static final String MASTER_KEY = "sk-admin-ui-test-0123456789-master";

  final FakeUpstream gpt4o = FakeUpstream.start();
  final FakeUpstream claude = FakeUpstream.start();
  final FakeUpstream llama = FakeUpstream.start();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final Gateway gateway;
  private final AtomicInteger claudeCalls = new AtomicInteger();
  private boolean stopped;

  UiGateway(Path dataDir) {
    gpt4o.always(Reply.json(503, OpenAiFixtures.error("The server is overloaded, try again later", "server_error",
        null)));
    claude.respond(request -> claudeCalls.getAndIncrement() % 2 == 0
        ? Reply.json(429, OpenAiFixtures.error("Rate limit reached for requests", "requests", "rate_limit_exceeded"))
            .header("Retry-After", "1")
        : Reply.json(200, OpenAiFixtures.chatCompletion("claude-3-5-haiku", "Hello from claude!")));
    llama.always(Reply.json(200, OpenAiFixtures.chatCompletion("llama3.2", "Hello from llama!")));
    String yaml = """
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
          shutdown_grace: 2s
        models:
          - name: gpt-4o
            provider: openai-compatible
            model: gpt-4o
            api_base: %s/v1
            input_cost_per_mtok: 2.5
            output_cost_per_mtok: 10
          - name: claude
            provider: openai-compatible
            model: claude-3-5-haiku
            api_base: %s/v1
            input_cost_per_mtok: 0.8
            output_cost_per_mtok: 4
          - name: llama
            provider: openai-compatible
            model: llama3.2
            api_base: %s/v1
            input_cost_per_mtok: 0.2
            output_cost_per_mtok: 0.2
        router:
          retries: 0
          fallbacks:
            gpt-4o: [claude, llama]
            claude: [llama]
          cooldown:
            failures: 4
            window: 60s
            duration: 30s
        database:
          data_dir: %s
        """.formatted(MASTER_KEY, gpt4o.url(), claude.url(), llama.url(), dataDir);
    BatonConfig config = ConfigLoader.parse(yaml, "ui-test.yaml", Environment.of(Map.of()));
    KeyPlatform keys = KeyPlatform.open(config.database(), config.logging(), config::modelNames, Clock.systemUTC());
    gateway = Gateway.start(config, Environment.of(Map.of()), List.of(), keys);
  }

  String url(String path) {
    return gateway.url() + path;
  }

  /** The origin the browser sees: scheme, host and port. */
  String origin() {
    return gateway.url();
  }

  /** A chat request with this key (the master key or a virtual one). */
  HttpResponse<String> chat(String key, String model) throws Exception {
    return send("POST", "/v1/chat/completions", "{\"model\":\"" + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, fallback models!\"}]}",
        "Authorization", "Bearer " + key);
  }

  /** The admin API with the master key; fails on anything but a 2xx. */
  JsonNode admin(String method, String path, String body) throws Exception {
    HttpResponse<String> answer = send(method, path, body, "Authorization", "Bearer " + MASTER_KEY);
    if (answer.statusCode() / 100 != 2) {
      throw new AssertionError(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
    }
    return Json.MAPPER.readTree(answer.body());
  }

  /** A raw request, with headers given as name, value, ... */
  HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the gateway as SIGTERM does, leaving the upstreams up. */
  void shutdown(Duration grace) {
    stopped = true;
    gateway.shutdown(grace);
  }

  @Override
  public void close() {
    if (!stopped) {
      gateway.close();
    }
    http.close();
    gpt4o.close();
    claude.close();
    llama.close();
  }
}
