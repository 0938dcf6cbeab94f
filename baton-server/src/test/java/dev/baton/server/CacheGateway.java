package dev.baton.server;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.baton.testkit.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real gateway with a response cache, configured through YAML as a user would, in front of fake upstreams
 * that count their calls, with the official OpenAI and Anthropic clients pointed at it:
 *
 * <ul>
 *   <li>{@code smart}: OpenAI-compatible, falling back to {@code fast} (OpenAI-compatible);
 *   <li>{@code claude}: Anthropic, its Messages bodies passed through;
 *   <li>{@code native}: OpenAI with {@code responses_api: native};
 *   <li>{@code uncached}: OpenAI-compatible, left out of {@code cache.models}.
 * </ul>
 */
final class CacheGateway implements AutoCloseable {

  static final String MASTER_KEY = "gateway-master-key";
  static final String DEFAULT_CACHE = """
      cache:
        type: local
        ttl: 10m
        scope: team
        models: [smart, fast, claude, native]
      """;

  final FakeUpstream openai = FakeUpstream.start();
  final FakeUpstream fallback = FakeUpstream.start();
  final FakeUpstream anthropic = FakeUpstream.start();
  final FakeUpstream nativeApi = FakeUpstream.start();
  final FakeUpstream other = FakeUpstream.start();
  final Gateway gateway;
  final OpenAIClient openAiClient;
  final AnthropicClient anthropicClient;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  CacheGateway() {
    this(DEFAULT_CACHE);
  }

  /** @param cacheSection the {@code cache:} section (and any other top-level sections), unindented */
  CacheGateway(String cacheSection) {
    gateway = TestGateway.start("""
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
          read_timeout: 5s
        models:
          - name: smart
            provider: openai-compatible
            model: smart-model
            api_base: %s/v1
            timeout: 5s
            idle_timeout: 2s
          - name: fast
            provider: openai-compatible
            model: fast-model
            api_base: %s/v1
            timeout: 5s
            idle_timeout: 2s
          - name: claude
            provider: anthropic
            model: claude-sonnet-4-5-20250929
            api_base: %s
            api_key: sk-ant-upstream-key-0123456789
            timeout: 5s
            idle_timeout: 2s
          - name: native
            provider: openai
            model: gpt-4o-mini
            api_base: %s/v1
            api_key: sk-native-upstream-key-0123456789
            responses_api: native
            timeout: 5s
            idle_timeout: 2s
          - name: uncached
            provider: openai-compatible
            model: other-model
            api_base: %s/v1
            timeout: 5s
        router:
          retries: 0
          fallbacks:
            smart: [fast]
        %s
        """.formatted(MASTER_KEY, openai.url(), fallback.url(), anthropic.url(), nativeApi.url(), other.url(),
        cacheSection));
    openAiClient = OpenAIOkHttpClient.builder()
        .baseUrl(gateway.url() + "/v1")
        .apiKey(MASTER_KEY)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
    anthropicClient = AnthropicOkHttpClient.builder()
        .baseUrl(gateway.url())
        .apiKey(MASTER_KEY)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  /** A raw POST with the master key, for bodies and headers exactly as a test writes them. */
  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + MASTER_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    openAiClient.close();
    anthropicClient.close();
    gateway.close();
    http.close();
    openai.close();
    fallback.close();
    anthropic.close();
    nativeApi.close();
    other.close();
  }
}
