package dev.baton.server;

import dev.baton.config.BatonConfig;
import dev.baton.config.ConfigLoader;
import dev.baton.config.Environment;
import dev.baton.testkit.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real gateway on a free port in front of three fake upstreams — {@code primary} (falls back to
 * {@code fallback}), {@code fallback} and {@code special} — configured through YAML like a user would.
 */
final class TestGateway implements AutoCloseable {

  static final String PRIMARY_KEY = "sk-primary-upstream-key-0123456789";
  static final String FALLBACK_KEY = "sk-fallback-upstream-key-0123456789";

  final FakeUpstream primary = FakeUpstream.start();
  final FakeUpstream fallback = FakeUpstream.start();
  final FakeUpstream special = FakeUpstream.start();
  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  TestGateway() {
    this("");
  }

  /** @param serverSettings extra lines for the {@code server:} section, indented by four spaces */
  TestGateway(String serverSettings) {
    this(serverSettings, Map.of());
  }

  /**
   * @param settings extra lines after the {@code server:} section: its own (indented) or whole sections
   * @param environment the gateway's environment, such as {@code OTEL_*} variables
   */
  TestGateway(String settings, Map<String, String> environment) {
    String serverSettings = settings;
    String yaml = """
        server:
          host: 127.0.0.1
          port: 0
          read_timeout: 2s
          shutdown_grace: 5s
        %s
        models:
          - name: primary
            provider: openai-compatible
            model: primary-model
            api_base: %s/v1
            api_key: %s
            timeout: 5s
            idle_timeout: 2s
          - name: fallback
            provider: openai-compatible
            model: fallback-model
            api_base: %s/v1
            api_key: %s
            timeout: 5s
          - name: special
            provider: openai-compatible
            model: special-model
            api_base: %s/v1
            timeout: 1s
            first_token_timeout: 5s
        router:
          retries: 1
          fallbacks:
            primary: [fallback]
        """.formatted(serverSettings, primary.url(), PRIMARY_KEY, fallback.url(), FALLBACK_KEY, special.url());
    gateway = start(yaml, environment);
  }

  /** A gateway configured by this YAML, as {@code baton serve} would read it, in an empty environment. */
  static Gateway start(String yaml) {
    return start(yaml, Map.of());
  }

  static Gateway start(String yaml, Map<String, String> environment) {
    BatonConfig config = ConfigLoader.parse(yaml, "test.yaml", Environment.of(Map.of()));
    return Gateway.start(config, Environment.of(environment), List.of());
  }

  String url(String path) {
    return gateway.url() + path;
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    gateway.close();
    http.close();
    primary.close();
    fallback.close();
    special.close();
  }
}
