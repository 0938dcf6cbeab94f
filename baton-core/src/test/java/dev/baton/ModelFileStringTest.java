package dev.baton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.config.ModelConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model strings for local model files ({@code provider:path}), beside {@code provider/model}. */
class ModelFileStringTest {

  @Test
  void aColonBeforeAnySlashSeparatesTheProviderFromAPath() {
    try (Baton baton = Baton.builder().environment(Map.of()).models("mock:./models/m.gguf").build()) {
      ModelConfig m = baton.config().models().get(0);

      assertThat(m.provider()).isEqualTo("mock");
      assertThat(m.model()).isEqualTo("./models/m.gguf");
      assertThat(m.name()).isEqualTo("mock:./models/m.gguf");
    }
  }

  @Test
  void aColonAfterTheSlashStaysInTheModelId() {
    try (Baton baton = Baton.builder().environment(Map.of()).models("mock/llama3.2:1b").build()) {
      assertThat(baton.config().models().get(0).model()).isEqualTo("llama3.2:1b");
    }
  }

  @Test
  void localProvidersWithoutBatonLocalNameTheArtifactToAdd() {
    assertThatThrownBy(() -> Baton.builder().models("openai/gpt-4o", "gguf:./models/m.gguf"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("provider 'gguf' in 'gguf:./models/m.gguf' comes with dev.baton:baton-local: add it to the"
            + " classpath beside baton-core");
    assertThatThrownBy(() -> Baton.builder().models("onnx/all-minilm-l6-v2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("provider 'onnx' in 'onnx/all-minilm-l6-v2' comes with dev.baton:baton-local");
  }

  @Test
  void anEmptyPathIsNotAModelString() {
    assertThatThrownBy(() -> Baton.builder().models("gguf:"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("'gguf:' is not a provider/model string")
        .hasMessageContaining("gguf:./models/m.gguf");
  }
}
