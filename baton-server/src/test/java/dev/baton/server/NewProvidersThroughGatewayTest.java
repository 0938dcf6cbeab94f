package dev.baton.server;

import static dev.baton.server.CommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.baton.testkit.AnthropicFixtures;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.RecordedRequest;
import dev.baton.testkit.Reply;
import dev.baton.testkit.VertexFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contract section 14 through the gateway, driven by the official OpenAI Java SDK: a Vertex AI deployment
 * with a service-account file answering against fakes of Google's token endpoint and Vertex AI (Gemini and
 * Claude, whole and streamed, falling back from one to the other), a missing credentials file refused by
 * {@code baton check}, and Perplexity's citations reaching the caller.
 */
class NewProvidersThroughGatewayTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private String vertexYaml(FakeGoogleAuth auth, FakeUpstream vertex) {
    Path credentials = auth.writeServiceAccount(dir);
    return """
        server:
          host: 127.0.0.1
          port: 0
        models:
          - name: claude
            provider: vertex
            model: anthropic/claude-sonnet-4-5@20250929
            vertex_credentials: %1$s
            vertex_location: us-east5
            api_base: %2$s
            timeout: 5s
          - name: gemini
            provider: vertex
            model: gemini-2.5-flash
            vertex_credentials: %1$s
            vertex_location: us-central1
            api_base: %2$s
            timeout: 5s
        router:
          retries: 0
          fallbacks:
            claude: [gemini]
        """.formatted(credentials, vertex.url());
  }

  private static OpenAIClient client(Gateway gateway) {
    return OpenAIOkHttpClient.builder().baseUrl(gateway.url() + "/v1").apiKey("unused").maxRetries(0)
        .timeout(Duration.ofSeconds(20)).build();
  }

  private static ChatCompletionCreateParams chat(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Hello!").build();
  }

  @Test
  void aVertexDeploymentWithAServiceAccountFileAnswersThroughTheGateway() {
    try (FakeGoogleAuth auth = FakeGoogleAuth.start(); FakeUpstream vertex = FakeUpstream.start()) {
      vertex.respond(request -> !auth.isValid(request.header("authorization"))
          ? Reply.json(401, VertexFixtures.UNAUTHENTICATED)
          : request.path().endsWith(":rawPredict")
              ? Reply.json(200, AnthropicFixtures.message("Hello from Claude on Vertex", "end_turn"))
              : request.path().endsWith(":streamRawPredict")
                  ? Reply.sse(AnthropicFixtures.textStream("Hello", " streamed", " from Vertex"))
                  : Reply.json(200, VertexFixtures.geminiAnswer("Hello from Gemini on Vertex")));
      Gateway gateway = TestGateway.start(vertexYaml(auth, vertex));
      OpenAIClient client = client(gateway);
      try {
        ChatCompletion claude = client.chat().completions().create(chat("claude"));
        ChatCompletion gemini = client.chat().completions().create(chat("gemini"));
        String streamed;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat("claude"))) {
          streamed = stream.stream().flatMap(c -> c.choices().stream())
              .map(c -> c.delta().content().orElse("")).collect(Collectors.joining());
        }

        assertThat(claude.choices().get(0).message().content()).contains("Hello from Claude on Vertex");
        assertThat(gemini.choices().get(0).message().content()).contains("Hello from Gemini on Vertex");
        assertThat(streamed).isEqualTo("Hello streamed from Vertex");
        List<String> paths = vertex.requests().stream().map(RecordedRequest::path).toList();
        assertThat(paths).containsExactly(
            VertexFixtures.path(FakeGoogleAuth.PROJECT, "us-east5", "anthropic", "claude-sonnet-4-5@20250929",
                "rawPredict"),
            VertexFixtures.path(FakeGoogleAuth.PROJECT, "us-central1", "google", "gemini-2.5-flash",
                "generateContent"),
            VertexFixtures.path(FakeGoogleAuth.PROJECT, "us-east5", "anthropic", "claude-sonnet-4-5@20250929",
                "streamRawPredict"));
        assertThat(auth.tokensIssued()).as("one token per deployment, each fetched once").isEqualTo(2);
        assertThat(vertex.requests()).allSatisfy(r -> assertThat(auth.isValid(r.header("authorization"))).isTrue());
      } finally {
        client.close();
        gateway.shutdown(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void whenClaudesQuotaOnVertexIsSpentGeminiAnswers() {
    try (FakeGoogleAuth auth = FakeGoogleAuth.start(); FakeUpstream vertex = FakeUpstream.start()) {
      vertex.respond(request -> request.path().contains("/publishers/anthropic/")
          ? Reply.json(429, VertexFixtures.CLAUDE_QUOTA_EXCEEDED)
          : Reply.json(200, VertexFixtures.geminiAnswer("Gemini stepped in")));
      Gateway gateway = TestGateway.start(vertexYaml(auth, vertex));
      OpenAIClient client = client(gateway);
      try {
        var raw = client.chat().completions().withRawResponse().create(chat("claude"));

        assertThat(raw.parse().choices().get(0).message().content()).contains("Gemini stepped in");
        assertThat(raw.headers().values("x-baton-model")).containsExactly("gemini");
        assertThat(raw.headers().values("x-baton-attempts")).containsExactly("2");
      } finally {
        client.close();
        gateway.shutdown(Duration.ofSeconds(1));
      }
    }
  }

  @Test
  void checkRefusesAMissingVertexCredentialsFileNamingIt() throws IOException {
    Path missing = dir.resolve("no-such-key.json");
    Path config = Files.writeString(dir.resolve("baton.yaml"), """
        models:
          - name: claude
            provider: vertex
            model: anthropic/claude-sonnet-4@20250514
            vertex_project: my-project
            vertex_credentials: %s
        """.formatted(missing));

    CommandTest.Run check = run("check", "--config", config.toString());

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains(missing.toString()).contains("does not exist");
  }

  @Test
  void perplexitysCitationsReachTheCallerWholeAndStreamed() throws Exception {
    try (FakeUpstream perplexity = FakeUpstream.start()) {
      perplexity.enqueue(Reply.json(200, """
          {"id":"pplx-1","model":"sonar","created":1733300000,"object":"chat.completion",
           "citations":["https://en.wikipedia.org/wiki/Rayleigh_scattering"],
           "search_results":[{"title":"Rayleigh scattering","url":"https://en.wikipedia.org/wiki/Rayleigh_scattering"}],
           "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Rayleigh [1]."}}],
           "usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12,"citation_tokens":430,
                    "num_search_queries":1}}"""));
      perplexity.enqueue(Reply.sse(List.of(
          "data: {\"id\":\"pplx-2\",\"model\":\"sonar\",\"created\":1733300000,\"object\":\"chat.completion.chunk\","
              + "\"citations\":[\"https://www.nasa.gov/sky\"],\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
              + "\"delta\":{\"role\":\"assistant\",\"content\":\"Rayleigh [1].\"}}]}\n\n",
          OpenAiFixtures.DONE)));
      Gateway gateway = TestGateway.start("""
          server:
            host: 127.0.0.1
            port: 0
          models:
            - name: search
              provider: perplexity
              model: sonar
              api_base: %s
              api_key: pplx-test-key-0123456789
          """.formatted(perplexity.url()));
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      try {
        HttpResponse<String> whole = http.send(post(gateway, "{\"model\":\"search\",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}"), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> streamed = http.send(post(gateway, "{\"model\":\"search\",\"stream\":true,\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}"), HttpResponse.BodyHandlers.ofString());

        JsonNode body = JSON.readTree(whole.body());
        assertThat(body.path("citations").get(0).asText()).isEqualTo("https://en.wikipedia.org/wiki/Rayleigh_scattering");
        assertThat(body.path("search_results").get(0).path("title").asText()).isEqualTo("Rayleigh scattering");
        assertThat(perplexity.requests().get(0).path()).isEqualTo("/chat/completions");
        assertThat(streamed.body()).contains("\"citations\":[\"https://www.nasa.gov/sky\"]").contains("data: [DONE]");
      } finally {
        http.close();
        gateway.shutdown(Duration.ofSeconds(1));
      }
    }
  }

  private static HttpRequest post(Gateway gateway, String json) {
    return HttpRequest.newBuilder(URI.create(gateway.url() + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build();
  }
}
