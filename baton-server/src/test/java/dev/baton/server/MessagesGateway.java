package dev.baton.server;

import dev.baton.testkit.FakeUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A real gateway in front of a fake Anthropic API and a fake OpenAI API, for the Messages door:
 * {@code claude} (Anthropic) falls back to {@code gpt} (OpenAI) and {@code gpt} to {@code claude};
 * {@code claude-alone} and {@code gpt-alone} have no fallback. One attempt per deployment, no retries.
 */
final class MessagesGateway implements AutoCloseable {

  static final String MASTER_KEY = "gateway-master-key";
  static final String ANTHROPIC_KEY = "sk-ant-upstream-key-0123456789";
  static final String OPENAI_KEY = "sk-openai-upstream-key-0123456789";
  static final String CLAUDE = "claude-sonnet-4-5-20250929";
  static final String GPT = "gpt-4o-2024-08-06";

  final FakeUpstream anthropic = FakeUpstream.start();
  final FakeUpstream openai = FakeUpstream.start();
  final Gateway gateway;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  MessagesGateway() {
    gateway = TestGateway.start("""
        server:
          host: 127.0.0.1
          port: 0
          master_key: %s
          max_body: 64KB
          read_timeout: 2s
        models:
          - name: claude
            provider: anthropic
            model: %s
            api_base: %s
            api_key: %s
            timeout: 5s
            idle_timeout: 2s
          - name: gpt
            provider: openai
            model: %s
            api_base: %s/v1
            api_key: %s
            timeout: 5s
            idle_timeout: 2s
          - name: claude-alone
            provider: anthropic
            model: %s
            api_base: %s
            api_key: %s
            timeout: 5s
            idle_timeout: 2s
          - name: gpt-alone
            provider: openai
            model: %s
            api_base: %s/v1
            api_key: %s
            timeout: 5s
        router:
          retries: 0
          fallbacks:
            claude: [gpt]
            gpt: [claude]
        """.formatted(MASTER_KEY, CLAUDE, anthropic.url(), ANTHROPIC_KEY, GPT, openai.url(), OPENAI_KEY,
        CLAUDE, anthropic.url(), ANTHROPIC_KEY, GPT, openai.url(), OPENAI_KEY));
  }

  String url() {
    return gateway.url();
  }

  /** A raw POST with the master key as {@code x-api-key}, for what the SDK would not send or show. */
  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .header("x-api-key", MASTER_KEY)
        .header("anthropic-version", "2023-06-01")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.setHeader(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    gateway.close();
    http.close();
    anthropic.close();
    openai.close();
  }
}
