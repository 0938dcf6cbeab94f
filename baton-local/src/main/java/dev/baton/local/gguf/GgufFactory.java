package dev.baton.local.gguf;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import dev.baton.config.ModelConfig;
import dev.baton.local.ModelPath;
import dev.baton.local.Settings;
import dev.baton.provider.Provider;
import dev.baton.provider.ProviderContext;
import dev.baton.provider.ProviderFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Creates {@code provider: gguf} deployments: chat and text completions from a GGUF file, in-process on
 * llama.cpp. The file is checked and loaded (memory-mapped) once, when the deployment is created.
 *
 * <p>{@code model_path} is the GGUF file; without it, {@code model} is (so the SDK's
 * {@code gguf:./models/m.gguf} works). Its own settings: {@code max_concurrency}, how many answers are
 * generated at once (default 1; more wait their turn within the request's deadline), {@code context_size},
 * the tokens each answer's prompt and completion share (default the model's own context, at most 4096),
 * and {@code threads}, the CPU threads llama.cpp uses (default: its own choice, the physical cores).
 */
public final class GgufFactory implements ProviderFactory {

  static final int DEFAULT_CONTEXT = 4096;
  private static final Set<String> OPTIONS = Set.of("model_path", "max_concurrency", "context_size", "threads");

  @Override
  public String name() {
    return "gguf";
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
    String option = config.option("model_path") == null ? "model" : "model_path";
    String value = config.option("model_path") == null ? config.model() : config.option("model_path");
    Path file = ModelPath.file(config, option, value);
    GgufHeader header;
    try {
      header = GgufHeader.read(file);
    } catch (IOException e) {
      throw ModelPath.problem(config, option, file, e.getMessage());
    }
    int concurrency = Settings.positive(config, "max_concurrency", 1);
    int trained = header.contextLength() > 0 ? header.contextLength() : DEFAULT_CONTEXT;
    int contextSize = Settings.positive(config, "context_size", Math.min(trained, DEFAULT_CONTEXT));
    Integer threads = Settings.positive(config, "threads");
    ModelParameters parameters = new ModelParameters()
        .setModel(file.toString())
        // llama.cpp gives each of its parallel sequences an equal share of the context.
        .setCtxSize(Math.multiplyExact(contextSize, concurrency))
        .setParallel(concurrency)
        // An answer stops when its context is full rather than silently dropping the start of its prompt.
        .disableContextShift()
        // llama.cpp's log goes to the process's stdout, around Baton's own; its failures are named here.
        .disableLog();
    if (threads != null) {
      parameters.setThreads(threads).setThreadsBatch(threads);
    }
    LlamaModel llama;
    try {
      llama = new LlamaModel(parameters);
    } catch (RuntimeException e) {
      if (!LlamaErrors.isLlama(e)) {
        throw e;
      }
      throw ModelPath.problem(config, option, file, "could not be loaded by llama.cpp (" + e.getMessage()
          + "): its architecture '" + header.architecture() + "' may be newer than the bundled llama.cpp, or"
          + " there is not enough memory for the model and " + concurrency + " × " + contextSize
          + " tokens of context (lower context_size or max_concurrency)");
    }
    return new GgufProvider(config.model(), llama, header, contextSize, concurrency);
  }
}
