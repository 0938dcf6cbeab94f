package dev.baton.local.gguf;

import dev.baton.local.Calls;
import dev.baton.testkit.TinyGguf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Tiny GGUF models written for the tests, and gguf deployments of them. */
final class TinyModels {

  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("baton-gguf-test");
      Runtime.getRuntime().addShutdownHook(new Thread(TinyModels::deleteAll));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TinyModels() {}

  /** The default tiny model (ChatML template, 2048-token context), written once. */
  static final Path CHATML = TinyGguf.model().writeTo(DIR.resolve("tiny-chatml.gguf"));

  /** The tiny model with Gemma's chat template. */
  static final Path GEMMA = TinyGguf.model().chatTemplate(TinyGguf.GEMMA_TEMPLATE).writeTo(DIR.resolve("tiny-gemma.gguf"));

  private static void deleteAll() {
    try (var files = Files.walk(DIR)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }

  static Path dir() {
    return DIR;
  }

  /** A gguf deployment of {@code file} with these settings. */
  static GgufProvider deploy(Path file, String... settings) {
    Map<String, String> options = new HashMap<>();
    options.put("model_path", file.toString());
    for (int i = 0; i < settings.length; i += 2) {
      options.put(settings[i], settings[i + 1]);
    }
    return (GgufProvider) Calls.create(new GgufFactory(), "tiny", options);
  }

  /** The text ChatML makes of one user message, ready for the answer. */
  static String chatml(String user) {
    return "<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n";
  }
}
