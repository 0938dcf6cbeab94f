package dev.baton.local.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.ChatRequest;
import dev.baton.ConfigException;
import dev.baton.local.Calls;
import dev.baton.provider.Provider;
import dev.baton.testkit.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A gguf deployment's file and settings are checked when it is created, and a problem names them. */
class GgufFactoryTest {

  static ConfigException problem(Map<String, String> options) {
    try (Provider p = Calls.create(new GgufFactory(), "tiny", options)) {
      throw new AssertionError("created " + p);
    } catch (ConfigException e) {
      return e;
    }
  }

  @Test
  void aMissingFileIsAConfigErrorNamingThePath() {
    Path missing = TinyModels.dir().resolve("models/nope.gguf");

    assertThat(problem(Map.of("model_path", missing.toString())))
        .hasMessage("model 'local': model_path '" + missing + "' does not exist");
  }

  @Test
  void withoutModelPathTheModelIsThePath() {
    try (Provider p = Calls.create(new GgufFactory(), TinyModels.CHATML.toString(), Map.of())) {
      assertThat(p.chat(ChatRequest.builder().user("hi").maxTokens(2).build(), Calls.call()).text()).hasSize(2);
    }
    assertThatThrownBy(() -> Calls.create(new GgufFactory(), "qwen2.5-0.5b", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("model 'local': model '").hasMessageEndingWith("qwen2.5-0.5b' does not exist");
  }

  @Test
  void aFolderIsNotAModelFile() {
    assertThat(problem(Map.of("model_path", TinyModels.dir().toString())))
        .hasMessage("model 'local': model_path '" + TinyModels.dir() + "' is a folder, not a model file");
  }

  @Test
  void aFileThatIsNotGgufIsAConfigError() throws IOException {
    Path text = Files.writeString(TinyModels.dir().resolve("notes.gguf"), "these are not weights");

    assertThat(problem(Map.of("model_path", text.toString())))
        .hasMessage("model 'local': model_path '" + text + "' is not a GGUF file (it does not start with the bytes"
            + " 'GGUF')");
  }

  @Test
  void aFileCutShortIsAConfigErrorSayingSo() throws IOException {
    byte[] whole = Files.readAllBytes(TinyModels.CHATML);
    Path cut = Files.write(TinyModels.dir().resolve("cut.gguf"), Arrays.copyOf(whole, whole.length - 4096));
    Path headerOnly = Files.write(TinyModels.dir().resolve("header.gguf"), Arrays.copyOf(whole, 100));

    assertThat(problem(Map.of("model_path", cut.toString())))
        .hasMessageStartingWith("model 'local': model_path '" + cut + "' is cut short: its tensors need "
            + whole.length + " bytes but it has " + (whole.length - 4096));
    assertThat(problem(Map.of("model_path", headerOnly.toString())))
        .hasMessage("model 'local': model_path '" + headerOnly + "' ends inside its header: it is cut short or not a"
            + " GGUF file");
  }

  @Test
  void aModelLlamaCppCannotLoadIsAConfigErrorNamingTheLikelyCauses() {
    Path unknown = TinyGguf.model().architecture("baton-future").writeTo(TinyModels.dir().resolve("future.gguf"));

    assertThat(problem(Map.of("model_path", unknown.toString())))
        .hasMessage("model 'local': model_path '" + unknown + "' could not be loaded by llama.cpp (could not load"
            + " model from given file path): its architecture 'baton-future' may be newer than the bundled"
            + " llama.cpp, or there is not enough memory for the model and 1 × 4096 tokens of context (lower"
            + " context_size or max_concurrency)");
  }

  @Test
  void settingsAreChecked() {
    String path = TinyModels.CHATML.toString();

    assertThat(problem(Map.of("model_path", path, "max_concurrency", "0")))
        .hasMessage("model 'local': max_concurrency must be a whole number of at least 1, was '0'");
    assertThat(problem(Map.of("model_path", path, "context_size", "big")))
        .hasMessage("model 'local': context_size must be a whole number of at least 1, was 'big'");
  }

  @Test
  void theHeaderGivesTheModelsFacts() throws IOException {
    GgufHeader header = GgufHeader.read(TinyModels.CHATML);

    assertThat(header.architecture()).isEqualTo("llama");
    assertThat(header.name()).isEqualTo("baton-tiny");
    assertThat(header.contextLength()).isEqualTo(2048);
    assertThat(header.addsStartToken()).isTrue();
    assertThat(header.chatTemplate()).contains("<|im_start|>");
  }
}
