package dev.baton.langchain4j;

import static dev.baton.testkit.OpenAiFixtures.error;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.baton.Baton;
import dev.baton.config.ModelConfig;
import dev.baton.testkit.FakeUpstream;
import dev.baton.testkit.OpenAiFixtures;
import dev.baton.testkit.Reply;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BatonEmbeddingModel} filling LangChain4j's in-memory store while the primary is down. */
class EmbeddingStoreTest {

  /** Vectors that point where the text is about: routing, or geography. */
  private static float[] vectorFor(String text) {
    return text.contains("Paris") ? new float[] {0f, 1f, 0f} : new float[] {1f, 0.1f, 0f};
  }

  private static Reply embeddingsOf(JsonNode input) {
    List<float[]> vectors = new ArrayList<>();
    input.forEach(text -> vectors.add(vectorFor(text.asText())));
    return Reply.json(200, OpenAiFixtures.embeddings("text-embedding-3-small", vectors.toArray(float[][]::new)));
  }

  @Test
  void embeddingsFromTheBackupDeploymentFillTheStoreAndAnswerSearches() {
    try (FakeUpstream primary = FakeUpstream.start(); FakeUpstream backup = FakeUpstream.start()) {
      primary.always(Reply.json(500, error("The server had an error.", "server_error", null)));
      backup.respond(request -> embeddingsOf(Fakes.body(request).get("input")));
      Baton baton = Baton.builder()
          .model(ModelConfig.builder("embeddings", "openai-compatible", "text-embedding-3-small")
              .apiBase(primary.url("/v1")).apiKey("sk-primary").build())
          .model(ModelConfig.builder("embeddings-backup", "openai-compatible", "text-embedding-3-small")
              .apiBase(backup.url("/v1")).apiKey("sk-backup").build())
          .fallbacks("embeddings", "embeddings-backup").retries(0)
          .build();
      try (BatonEmbeddingModel model = BatonEmbeddingModel.builder().baton(baton).modelName("embeddings").build()) {
        InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
        List<TextSegment> segments = List.of(TextSegment.from("Baton falls back across models."),
            TextSegment.from("Paris is the capital of France."));

        List<Embedding> embeddings = model.embedAll(segments).content();
        store.addAll(embeddings, segments);
        Embedding question = model.embed("What is the capital of France? Paris?").content();
        List<EmbeddingMatch<TextSegment>> matches = store.search(EmbeddingSearchRequest.builder()
            .queryEmbedding(question).maxResults(1).build()).matches();

        assertThat(embeddings).extracting(Embedding::vector)
            .containsExactly(new float[] {1f, 0.1f, 0f}, new float[] {0f, 1f, 0f});
        assertThat(matches).singleElement().extracting(m -> m.embedded().text())
            .isEqualTo("Paris is the capital of France.");
        assertThat(model.dimension()).isEqualTo(3);
        assertThat(model.modelName()).isEqualTo("embeddings");
        assertThat(Fakes.body(backup.requests().get(0)).get("input"))
            .extracting(JsonNode::asText)
            .containsExactly("Baton falls back across models.", "Paris is the capital of France.");
        assertThat(primary.requests()).hasSize(2);
      } finally {
        baton.close();
      }
    }
  }
}
