package dev.baton.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.ChatChunk;
import dev.baton.ChatRequest;
import dev.baton.ChatResponse;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.NotFoundException;
import dev.baton.testkit.FakeGoogleAuth;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import dev.baton.testkit.VertexFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Vertex AI's other publishers: open models through its OpenAI-compatible endpoint, Mistral AI's through
 * {@code rawPredict}, and Google's embedding models through {@code predict}.
 */
class VertexPartnerModelsTest {

  private static final String ROOT = "/v1/projects/" + FakeGoogleAuth.PROJECT + "/locations/" + Harness.LOCATION;

  @Test
  void anOpenModelGoesToTheOpenAiCompatibleEndpointNamedInFull() {
    try (Harness h = new Harness("meta/llama-3.3-70b-instruct-maas")) {
      h.answer(Reply.json(200, OpenAiFixtures.chatCompletion("meta/llama-3.3-70b-instruct-maas", "Hello from Llama")));

      ChatResponse answer = h.chat(ChatRequest.of("Hello"));

      assertThat(h.last().path()).isEqualTo(ROOT + "/endpoints/openapi/chat/completions");
      assertThat(h.lastBody().path("model").asText()).isEqualTo("meta/llama-3.3-70b-instruct-maas");
      assertThat(h.last().header("authorization")).isEqualTo("Bearer " + FakeGoogleAuth.token(1));
      assertThat(answer.text()).isEqualTo("Hello from Llama");
    }
  }

  @Test
  void anOpenModelStreamsFromTheSameEndpoint() {
    try (Harness h = new Harness("deepseek-ai/deepseek-v3.1-maas")) {
      h.answer(Reply.sse(OpenAiFixtures.stream("deepseek-ai/deepseek-v3.1-maas", "Hello", " there")));

      List<ChatChunk> chunks = h.stream(ChatRequest.of("Hello"));

      assertThat(h.last().path()).isEqualTo(ROOT + "/endpoints/openapi/chat/completions");
      assertThat(h.lastBody().path("stream").asBoolean()).isTrue();
      assertThat(chunks.stream().map(ChatChunk::content).filter(c -> c != null).collect(Collectors.joining()))
          .isEqualTo("Hello there");
    }
  }

  @Test
  void aMistralModelIsMistralsChatAtRawPredict() {
    try (Harness h = new Harness("mistralai/mistral-small-2503")) {
      h.answer(Reply.json(200, OpenAiFixtures.chatCompletion("mistral-small-2503", "Bonjour")));

      h.chat(ChatRequest.of("Hello"));
      String whole = h.last().path();
      h.answer(Reply.sse(OpenAiFixtures.stream("mistral-small-2503", "Bon", "jour")));
      h.stream(ChatRequest.of("Hello"));

      String base = ROOT + "/publishers/mistralai/models/mistral-small-2503";
      assertThat(whole).isEqualTo(base + ":rawPredict");
      assertThat(h.last().path()).isEqualTo(base + ":streamRawPredict");
      assertThat(h.lastBody().path("model").asText()).isEqualTo("mistral-small-2503");
    }
  }

  @Test
  void googlesEmbeddingModelsAnswerPredictInBatches() {
    try (Harness h = new Harness("text-embedding-005")) {
      List<Integer> batchSizes = new ArrayList<>();
      h.answer(request -> {
        int n = h.lastBody().path("instances").size();
        batchSizes.add(n);
        float[][] vectors = new float[n][];
        for (int i = 0; i < n; i++) {
          vectors[i] = new float[] {i, 0.5f};
        }
        return Reply.json(200, VertexFixtures.predictions(vectors));
      });
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 260; i++) {
        texts.add("text " + i);
      }

      EmbeddingResponse answer = h.provider().embed(
          new EmbeddingRequest(null, texts, 256, null, null, java.util.Map.of(), null), Harness.call());

      assertThat(h.last().path()).isEqualTo(ROOT + "/publishers/google/models/text-embedding-005:predict");
      assertThat(h.lastBody().path("parameters").path("outputDimensionality").asInt()).isEqualTo(256);
      assertThat(h.lastBody().path("parameters").path("autoTruncate").asBoolean(true)).isFalse();
      assertThat(batchSizes).containsExactly(250, 10);
      assertThat(answer.vectors()).hasSize(260);
      assertThat(answer.vectors().get(251)).containsExactly(1f, 0.5f);
      assertThat(answer.usage().promptTokens()).isEqualTo(260 * 4);
    }
  }

  @Test
  void geminiEmbeddingTakesOneTextACall() {
    try (Harness h = new Harness("gemini-embedding-001")) {
      h.answer(Reply.json(200, VertexFixtures.predictions(new float[] {0.25f})));

      EmbeddingResponse answer = h.provider().embed(EmbeddingRequest.of("one", "two", "three"), Harness.call());

      assertThat(h.vertex.requests()).hasSize(3);
      assertThat(answer.vectors()).hasSize(3);
      assertThat(h.provider().capabilities().embeddings()).isTrue();
    }
  }

  @Test
  void aChatModelHasNoEmbeddings() {
    try (Harness h = new Harness("gemini-2.5-flash")) {
      assertThat(h.provider().capabilities().embeddings()).isFalse();
      assertThat(org.assertj.core.api.Assertions.catchThrowable(
          () -> h.provider().embed(EmbeddingRequest.of("one"), Harness.call()))).isInstanceOf(NotFoundException.class);
    }
  }
}
