package dev.baton.local.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.baton.ConfigException;
import dev.baton.EmbeddingRequest;
import dev.baton.local.Calls;
import dev.baton.provider.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sentence-transformers export in a folder, laid out as on the Hugging Face hub: Baton reads how to
 * pool and whether to normalise from the export's own files. The folders here hold the bundled model's
 * ONNX file and tokenizer, with the sentence-transformers files each test needs.
 */
class OnnxFolderTest {

  static final String TEXT = "Pooling decides what a sentence vector is.";

  @TempDir static Path dir;
  static byte[] onnx;
  static byte[] tokenizer;
  static float[] bundled;

  @BeforeAll
  static void readBundledFiles() throws IOException {
    try (Provider p = Calls.create(new OnnxFactory(), "all-minilm-l6-v2", Map.of())) {
      bundled = p.embed(EmbeddingRequest.of(TEXT), Calls.call()).vector();
    }
    try (InputStream model = OnnxFactory.class.getResourceAsStream("/all-minilm-l6-v2.onnx");
        InputStream json = OnnxFactory.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
      onnx = model.readAllBytes();
      tokenizer = json.readAllBytes();
    }
  }

  static Path folder(String name, boolean hubLayout) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    Path model = hubLayout ? Files.createDirectories(folder.resolve("onnx")).resolve("model.onnx")
        : folder.resolve("model.onnx");
    Files.write(model, onnx);
    Files.write(folder.resolve("tokenizer.json"), tokenizer);
    return folder;
  }

  static float[] embed(Path folder, Map<String, String> options) {
    Map<String, String> all = new java.util.HashMap<>(options);
    all.put("model_path", folder.toString());
    try (Provider p = Calls.create(new OnnxFactory(), "my-model", all)) {
      return p.embed(EmbeddingRequest.of(TEXT), Calls.call()).vector();
    }
  }

  static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }

  @Test
  void anExportWithItsSentenceTransformersFilesIsPooledAsTheyDescribe() throws IOException {
    Path folder = folder("st-export", true);
    Files.writeString(folder.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
         {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
        """);
    Files.createDirectories(folder.resolve("1_Pooling"));
    Files.writeString(folder.resolve("1_Pooling/config.json"), """
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true,
         "pooling_mode_max_tokens": false, "pooling_mode_mean_sqrt_len_tokens": false}
        """);
    Files.writeString(folder.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": false}");

    float[] fromFolder = embed(folder, Map.of());

    assertThat(fromFolder).containsExactly(bundled, within(1e-6f));
  }

  @Test
  void clsPoolingWithoutNormalizeIsTheFirstTokensRawEmbedding() throws IOException {
    Path folder = folder("cls-export", false);
    Files.writeString(folder.resolve("modules.json"), """
        [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
         {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]
        """);
    Files.createDirectories(folder.resolve("1_Pooling"));
    Files.writeString(folder.resolve("1_Pooling/config.json"), "{\"pooling_mode_cls_token\": true}");

    float[] cls = embed(folder, Map.of());

    assertThat(norm(cls)).as("not normalised: no Normalize module").isNotCloseTo(1.0, within(0.01));
    assertThat(cls).isNotEqualTo(bundled);
    float[] overridden = embed(folder, Map.of("pooling", "mean", "normalize", "true"));
    assertThat(overridden).containsExactly(bundled, within(1e-6f));
  }

  @Test
  void aBareExportIsMeanPooledAndNormalised() throws IOException {
    float[] bare = embed(folder("bare", false), Map.of());

    assertThat(norm(bare)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void aMissingFolderIsAConfigErrorNamingIt() {
    Path missing = dir.resolve("no-such-model");

    assertThatThrownBy(() -> embed(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("model 'local': model_path '" + missing + "' does not exist");
  }

  @Test
  void aFolderWithoutTokenizerJsonIsAConfigErrorNamingTheFile() throws IOException {
    Path folder = folder("no-tokenizer", false);
    Files.delete(folder.resolve("tokenizer.json"));

    assertThatThrownBy(() -> embed(folder, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("model 'local': model_path '" + folder.resolve("tokenizer.json") + "' does not exist; the"
            + " folder needs tokenizer.json, the Hugging Face tokenizer of the model");
  }

  @Test
  void anOnnxFileThatIsNotAModelIsAConfigError() throws IOException {
    Path folder = folder("broken", false);
    Files.writeString(folder.resolve("model.onnx"), "not a model");

    assertThatThrownBy(() -> embed(folder, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("model 'local': model_path '" + folder + "' could not be loaded: ");
  }

  @Test
  void aModelThatIsNotBundledNeedsModelPath() {
    assertThatThrownBy(() -> Calls.create(new OnnxFactory(), "bge-small-en", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("onnx model 'bge-small-en' is not bundled: set model_path");
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> Calls.create(new OnnxFactory(), "all-minilm-l6-v2", Map.of("max_concurrency", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("model 'local': max_concurrency must be a whole number of at least 1, was '0'");
    assertThatThrownBy(() -> Calls.create(new OnnxFactory(), "all-minilm-l6-v2", Map.of("pooling", "sum")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("model 'local': pooling must be one of mean, cls, max, lasttoken, was 'sum'");
  }
}
