package dev.baton.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real gateway for the Responses API tests, configured through YAML as a user would, in front of four fake
 * upstreams, each speaking its provider's own protocol:
 *
 * <ul>
 *   <li>{@code gpt}: an OpenAI-compatible chat deployment (translated), falling back to {@code claude};
 *   <li>{@code claude}: an Anthropic deployment (translated);
 *   <li>{@code native}: OpenAI with {@code responses_api: native} and a 20,000-token context, falling back to
 *       {@code claude};
 *   <li>{@code solo}: an OpenAI-compatible chat deployment with no fallback.
 * </ul>
 */
final class ResponsesGateway implements AutoCloseable {

  static final String MASTER_KEY = "gateway-master-key";
  static final String NATIVE_KEY = "sk-native-upstream-key-0123456789";
  static final String ANTHROPIC_KEY = "sk-ant-api03-test-key";
  static final ObjectMapper JSON = new ObjectMapper();

  final FakeUpstream chat = FakeUpstream.start();
  final FakeUpstream claude = FakeUpstream.start();
  final FakeUpstream nativeApi = FakeUpstream.start();
  final FakeUpstream solo = FakeUpstream.start();
  final Gateway gateway;
  final OpenAIClient client;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ResponsesGateway() {
    gateway = TestGateway.start("""
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
        models:
          - name: gpt
            provider: openai-compatible
            model: gpt-4o
            api_base: %s/v1
            timeout: 5s
            idle_timeout: 2s
          - name: claude
            provider: anthropic
            model: claude-sonnet-4-5
            api_base: %s
            api_key: %s
            max_tokens: 1024
            timeout: 5s
            idle_timeout: 2s
          - name: native
            provider: openai
            model: gpt-4o-mini
            api_base: %s/v1
            api_key: %s
            responses_api: native
            max_input_tokens: 20000
            timeout: 5s
            idle_timeout: 2s
          - name: solo
            provider: openai-compatible
            model: solo-model
            api_base: %s/v1
            timeout: 5s
            idle_timeout: 2s
        router:
          retries: 0
          fallbacks:
            gpt: [claude]
            native: [claude]
        """.formatted(MASTER_KEY, chat.url(), claude.url(), ANTHROPIC_KEY, nativeApi.url(), NATIVE_KEY, solo.url()));
    client = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.url() + "/v1")
        .apiKey(MASTER_KEY)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  /** A raw POST to the gateway, with the master key. */
  HttpResponse<String> post(String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A raw GET or DELETE to the gateway, with the master key. */
  HttpResponse<String> call(String method, String path) {
    return send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).method(method, HttpRequest.BodyPublishers.noBody()));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.header("Authorization", "Bearer " + MASTER_KEY).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + text, e);
    }
  }

  static JsonNode json(RecordedRequest request) {
    return json(request.bodyText());
  }

  @Override
  public void close() {
    client.close();
    gateway.close();
    http.close();
    chat.close();
    claude.close();
    nativeApi.close();
    solo.close();
  }
}
