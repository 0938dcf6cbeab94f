package dev.baton.local.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a sentence-transformers model does after its transformer, read from the files its export carries,
 * as sentence-transformers itself reads them: {@code modules.json} lists the modules (a
 * {@code Normalize} module means unit-length vectors), the {@code Pooling} module's {@code config.json}
 * says how tokens are pooled, and {@code sentence_bert_config.json} how many tokens the model reads.
 *
 * @param pooling how token embeddings are pooled
 * @param normalize whether vectors are scaled to unit length
 * @param maxTokens the most tokens read of each text; longer texts are cut, as sentence-transformers cuts them
 */
record SentenceConfig(Pooling pooling, boolean normalize, int maxTokens) {

  /** all-MiniLM-L6-v2, per its model card: mean pooling, normalised, 256 tokens. */
  static final SentenceConfig ALL_MINILM_L6_V2 = new SentenceConfig(Pooling.MEAN, true, 256);

  /** BERT's position limit, for exports that do not say theirs. */
  private static final int DEFAULT_MAX_TOKENS = 512;

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads a model folder's settings. Without {@code modules.json} (a bare transformer export) the model is
   * taken to be a sentence-embedding model of the usual kind: mean pooling, normalised.
   */
  static SentenceConfig read(ModelConfig config, Path folder) {
    Pooling pooling = Pooling.MEAN;
    boolean normalize = true;
    Path poolingConfig = folder.resolve("1_Pooling").resolve("config.json");
    JsonNode modules = json(config, folder.resolve("modules.json"));
    if (modules != null) {
      normalize = false;
      for (JsonNode module : modules) {
        String type = module.path("type").asText("");
        if (type.endsWith(".Normalize")) {
          normalize = true;
        } else if (type.endsWith(".Pooling")) {
          poolingConfig = folder.resolve(module.path("path").asText("1_Pooling")).resolve("config.json");
        }
      }
    }
    JsonNode poolingSettings = json(config, poolingConfig);
    if (poolingSettings != null) {
      pooling = pooling(config, poolingConfig, poolingSettings);
    }
    return new SentenceConfig(pooling, normalize, maxTokens(config, folder));
  }

  /** This configuration with the deployment's own {@code pooling} and {@code normalize}, where it sets them. */
  SentenceConfig with(@Nullable String pooling, @Nullable Boolean normalize) {
    return new SentenceConfig(pooling == null ? this.pooling : Pooling.named(pooling),
        normalize == null ? this.normalize : normalize, maxTokens);
  }

  private static Pooling pooling(ModelConfig config, Path file, JsonNode settings) {
    if (settings.path("pooling_mode_mean_tokens").asBoolean(false)) {
      return Pooling.MEAN;
    }
    if (settings.path("pooling_mode_cls_token").asBoolean(false)) {
      return Pooling.CLS;
    }
    if (settings.path("pooling_mode_max_tokens").asBoolean(false)) {
      return Pooling.MAX;
    }
    if (settings.path("pooling_mode_lasttoken").asBoolean(false)) {
      return Pooling.LAST_TOKEN;
    }
    throw new ConfigException(config.origin() + ": " + file + " asks for a pooling Baton does not do (it does"
        + " mean, cls, max and lasttoken); set pooling to one of them");
  }

  private static int maxTokens(ModelConfig config, Path folder) {
    JsonNode sentenceBert = json(config, folder.resolve("sentence_bert_config.json"));
    if (sentenceBert != null && sentenceBert.path("max_seq_length").canConvertToInt()
        && sentenceBert.path("max_seq_length").asInt() > 0) {
      return sentenceBert.path("max_seq_length").asInt();
    }
    JsonNode tokenizer = json(config, folder.resolve("tokenizer_config.json"));
    long modelMax = tokenizer == null ? 0 : tokenizer.path("model_max_length").asLong(0);
    // Tokenizers without a limit say a huge number (1e30) here.
    return modelMax > 0 && modelMax <= 65_536 ? (int) modelMax : DEFAULT_MAX_TOKENS;
  }

  private static @Nullable JsonNode json(ModelConfig config, Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(config.origin() + ": " + file + " is not valid JSON: " + e.getMessage());
    }
  }
}
