package dev.baton.server;

import static dev.baton.testkit.OpenAiFixtures.chatCompletion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.PostgresServer;
import dev.baton.testkit.RedisServer;
import dev.baton.testkit.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Three real gateways as a load balancer would have them (contract section 8): one configuration, one
 * PostgreSQL database, one Redis, each gateway opened as {@code baton serve} opens it
 * ({@link ServeCommand#start}) with a {@code data_dir} of its own for its journal. In front of fake upstreams
 * that count their calls:
 *
 * <ul>
 *   <li>{@code smart} — priced at $1,000 per million tokens in and out, so a fixture answer (11 + 7 tokens)
 *       costs $0.018;
 *   <li>{@code primary}, falling back to {@code backup} — for circuits (2 failures open one for
 *       {@link #COOLDOWN});
 *   <li>{@code limited} — a deployment with {@code rpm: 30};
 *   <li>{@code cached} — the only model the response cache ({@code type: redis}) covers.
 * </ul>
 */
final class GatewayCluster implements AutoCloseable {

  static final String MASTER_KEY = "sk-admin-cluster-0123456789-master";
  static final int SIZE = 3;
  static final int DEPLOYMENT_RPM = 30;
  static final Duration COOLDOWN = Duration.ofSeconds(4);
  static final ObjectMapper JSON = new ObjectMapper();

  final RedisServer redis = RedisServer.start();
  final FakeUpstream smart = FakeUpstream.start();
  final FakeUpstream primary = FakeUpstream.start();
  final FakeUpstream backup = FakeUpstream.start();
  final FakeUpstream limited = FakeUpstream.start();
  final FakeUpstream cached = FakeUpstream.start();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<Gateway> gateways = new ArrayList<>();
  private final Map<String, OpenAIClient> clients = new ConcurrentHashMap<>();

  GatewayCluster(Path dataDir) {
    smart.always(Reply.json(200, chatCompletion("smart-model", "from smart")));
    primary.always(Reply.json(200, chatCompletion("primary-model", "from the primary")));
    backup.always(Reply.json(200, chatCompletion("backup-model", "from the backup")));
    limited.always(Reply.json(200, chatCompletion("limited-model", "from limited")));
    cached.always(Reply.json(200, chatCompletion("cached-model", "from cached")));
    PostgresServer postgres = PostgresServer.shared();
    String database = postgres.jdbcUrl(postgres.createDatabase());
    try {
      for (int i = 0; i < SIZE; i++) {
        String yaml = yaml(database, dataDir.resolve("gateway-" + i));
        gateways.add(ServeCommand.start(ConfigLoader.parse(yaml, "gateway-" + i + ".yaml", Environment.of(Map.of())),
            Environment.of(Map.of())));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private String yaml(String database, Path dataDir) {
    return """
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
          read_timeout: 5s
          shutdown_grace: 5s
        database:
          url: %s
          user: postgres
          data_dir: %s
        redis:
          url: %s
        models:
          - name: smart
            provider: openai-compatible
            model: smart-model
            api_base: %s/v1
            input_cost_per_mtok: 1000
            output_cost_per_mtok: 1000
            timeout: 10s
          - name: primary
            provider: openai-compatible
            model: primary-model
            api_base: %s/v1
            timeout: 10s
          - name: backup
            provider: openai-compatible
            model: backup-model
            api_base: %s/v1
            timeout: 10s
          - name: limited
            provider: openai-compatible
            model: limited-model
            api_base: %s/v1
            rpm: %d
            timeout: 10s
          - name: cached
            provider: openai-compatible
            model: cached-model
            api_base: %s/v1
            timeout: 10s
        router:
          retries: 0
          fallbacks:
            primary: [backup]
          cooldown:
            failures: 2
            window: 60s
            duration: %ds
        cache:
          type: redis
          ttl: 10m
          scope: team
          models: [cached]
        """.formatted(MASTER_KEY, database, dataDir, redis.url(), smart.url(), primary.url(), backup.url(),
        limited.url(), DEPLOYMENT_RPM, cached.url(), COOLDOWN.toSeconds());
  }

  Gateway gateway(int i) {
    return gateways.get(i);
  }

  /** The official OpenAI client for one gateway with this key, retrying nothing. */
  OpenAIClient client(int gateway, String key) {
    return clients.computeIfAbsent(gateway + " " + key, k -> OpenAIOkHttpClient.builder()
        .baseUrl(gateways.get(gateway).url() + "/v1")
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build());
  }

  static ChatCompletionCreateParams ask(String model, String text) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(text).build();
  }

  /** What one chat request through the SDK came to: the status, and the error's code when it failed. */
  record Outcome(int status, String code, String model) {
    @Override
    public String toString() {
      return status + (code.isEmpty() ? "" : " " + code) + (model.isEmpty() ? "" : " from " + model);
    }
  }

  /** One chat request through {@code gateway} with {@code key}: its outcome, never an exception for an HTTP error. */
  Outcome chat(int gateway, String key, String model) {
    try {
      var answer = client(gateway, key).chat().completions().withRawResponse().create(ask(model, "Hi"));
      answer.parse();
      return new Outcome(answer.statusCode(), "", answer.headers().values("x-baton-model").stream().findFirst().orElse(""));
    } catch (OpenAIServiceException e) {
      return new Outcome(e.statusCode(), e.code().orElse(""), "");
    }
  }

  /** An admin API call through {@code gateway} with the master key: its status and JSON. */
  JsonNode admin(int gateway, String method, String path, String body, int expectedStatus) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateways.get(gateway).url() + path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + MASTER_KEY)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != expectedStatus) {
      throw new AssertionError(method + " " + path + " through gateway " + gateway + ": expected " + expectedStatus
          + ", was " + answer.statusCode() + " " + answer.body());
    }
    return answer.body().isEmpty() ? JSON.nullNode() : JSON.readTree(answer.body());
  }

  /** A virtual key created through {@code gateway}'s admin API: its id and secret. */
  record Key(String id, String secret) {}

  Key createKey(int gateway, String json) throws Exception {
    JsonNode created = admin(gateway, "POST", "/admin/keys", json, 201);
    return new Key(created.path("id").asText(), created.path("key").asText());
  }

  /** A GET without a key: status and body. */
  HttpResponse<String> get(int gateway, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(gateways.get(gateway).url() + path))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " through gateway " + gateway + " failed: " + e, e);
    }
  }

  /** Whether {@code gateway}'s {@code /metrics} shows {@code deployment}'s circuit open. */
  boolean circuitOpen(int gateway, String deployment) {
    return get(gateway, "/metrics").body().contains("baton_circuit_state{deployment=\"" + deployment + "\"} 1.0");
  }

  @Override
  public void close() {
    clients.values().forEach(OpenAIClient::close);
    gateways.forEach(Gateway::close);
    http.close();
    smart.close();
    primary.close();
    backup.close();
    limited.close();
    cached.close();
    redis.close();
  }
}
