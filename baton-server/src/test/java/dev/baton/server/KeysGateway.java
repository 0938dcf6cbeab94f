package dev.baton.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.store.KeyPlatform;
import dev.baton.testkit.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real gateway with virtual keys on a real database, in front of three fake upstreams, configured
 * through YAML as {@code baton serve} reads it and opened as it opens it:
 *
 * <ul>
 *   <li>{@code smart} — an OpenAI-compatible server priced at $1,000 per million tokens in and out (so
 *       the fixtures' 18-token answers cost $0.018), falling back to
 *   <li>{@code fast} — an OpenAI-compatible server at $2 / $10 per million;
 *   <li>{@code mini} — OpenAI's {@code gpt-4o-mini} with no prices in its configuration: priced from the
 *       model catalogue, and asked for usage on every stream as OpenAI is.
 * </ul>
 *
 * It can be stopped and started again on the same database, as a restart would.
 */
final class KeysGateway implements AutoCloseable {

  static final String MASTER_KEY = "sk-admin-test-0123456789-master";
  static final String MINI_UPSTREAM_KEY = "sk-upstream-mini-0123456789";
  /** What a fixture answer (11 tokens in, 7 out) costs on {@code smart}. */
  static final double SMART_ANSWER_USD = 18 * 1000 / 1_000_000.0;
  static final ObjectMapper JSON = new ObjectMapper();

  final FakeUpstream smart = FakeUpstream.start();
  final FakeUpstream fast = FakeUpstream.start();
  final FakeUpstream mini = FakeUpstream.start();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String databaseYaml;
  private final String extraYaml;
  private final List<OpenAIClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();
  Gateway gateway;
  BatonConfig config;
  private boolean running;

  /** @param databaseYaml the {@code database:} section, as a user writes it */
  KeysGateway(String databaseYaml) {
    this(databaseYaml, "");
  }

  /** @param extraYaml more top-level sections, such as {@code logging:} */
  KeysGateway(String databaseYaml, String extraYaml) {
    this.databaseYaml = databaseYaml;
    this.extraYaml = extraYaml;
    start();
  }

  String yaml() {
    return """
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
          read_timeout: 5s
          shutdown_grace: 5s
        models:
          - name: smart
            provider: openai-compatible
            model: smart-model
            api_base: %s/v1
            input_cost_per_mtok: 1000
            output_cost_per_mtok: 1000
            timeout: 10s
          - name: fast
            provider: openai-compatible
            model: fast-model
            api_base: %s/v1
            input_cost_per_mtok: 2
            output_cost_per_mtok: 10
            timeout: 10s
          - name: mini
            provider: openai
            model: gpt-4o-mini
            api_base: %s/v1
            api_key: %s
            timeout: 10s
        router:
          retries: 0
          fallbacks:
            smart: [fast]
        %s
        %s
        """.formatted(MASTER_KEY, smart.url(), fast.url(), mini.url(), MINI_UPSTREAM_KEY, databaseYaml, extraYaml);
  }

  /** Starts the gateway as {@code baton serve} does: the database first, then the gateway over it. */
  void start() {
    config = ConfigLoader.parse(yaml(), "keys-test.yaml", Environment.of(Map.of()));
    KeyPlatform keys = KeyPlatform.open(config.database(), config.logging(), config::modelNames, Clock.systemUTC());
    gateway = Gateway.start(config, Environment.of(Map.of()), List.of(), keys);
    running = true;
  }

  /** Stops the gateway as SIGTERM does (the request log's rows written), leaving the upstreams up. */
  void stop() {
    running = false;
    gateway.shutdown(Duration.ofSeconds(5));
  }

  String url(String path) {
    return gateway.url() + path;
  }

  /** The official OpenAI client with this key, retrying nothing; closed with the gateway. */
  OpenAIClient client(String key) {
    OpenAIClient client = OpenAIOkHttpClient.builder()
        .baseUrl(url("/v1"))
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
    clients.add(client);
    return client;
  }

  /** An answer from the admin API: its status, JSON and headers. */
  record Answer(int status, JsonNode json, HttpResponse<String> raw) {
    String text(String field) {
      return json.path(field).asText();
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  /** Calls the admin API with the master key. */
  Answer admin(String method, String path, String body) throws Exception {
    return admin(method, path, body, MASTER_KEY);
  }

  Answer admin(String method, String path) throws Exception {
    return admin(method, path, null, MASTER_KEY);
  }

  /** Calls the admin API with this key (null: none). */
  Answer admin(String method, String path, String body, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    return new Answer(response.statusCode(), json, response);
  }

  /** A raw request to the gateway, with headers given as name, value, ... */
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

  /** Creates a key through the admin API and returns its answer (with the secret in {@code key}). */
  Answer createKey(String json) throws Exception {
    Answer created = admin("POST", "/admin/keys", json);
    if (created.status() != 201) {
      throw new AssertionError("creating a key: " + created);
    }
    return created;
  }

  @Override
  public void close() {
    clients.forEach(OpenAIClient::close);
    if (running) {
      gateway.close();
    }
    http.close();
    smart.close();
    fast.close();
    mini.close();
  }
}
