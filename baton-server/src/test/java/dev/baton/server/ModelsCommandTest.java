package dev.baton.server;

import static dev.baton.server.CommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code baton models}: the catalogue, one model a line, as contract section 14 writes it. */
class ModelsCommandTest {

  @Test
  void printsOneModelALineInTheContractsFormat() {
    CommandTest.Run models = run("models");

    assertThat(models.exit()).isZero();
    assertThat(models.out().lines()).contains("openai gpt-4o 128000 16384 2.50 10.00",
        "anthropic claude-sonnet-4-5-20250929 200000 64000 3.00 15.00");
    assertThat(models.out().lines()).allSatisfy(line -> assertThat(line.split(" ")).hasSize(6));
  }

  @Test
  void aProviderFilterShowsOnlyItsModels() {
    CommandTest.Run vertex = run("models", "--provider", "vertex");

    assertThat(vertex.exit()).isZero();
    assertThat(vertex.out().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("vertex "));
    assertThat(vertex.out()).contains("vertex anthropic/claude-sonnet-4-5@20250929 200000 64000 3.00 15.00")
        .as("a figure the catalogue lacks is a dash").contains("vertex gemini-2.5-flash 1048576 65536 - -");
  }

  @Test
  void theOpenAiCompatiblePresetsHaveTheirOwnEntries() {
    CommandTest.Run mistral = run("models", "--provider", "mistral");
    CommandTest.Run deepseek = run("models", "--provider", "deepseek");

    assertThat(mistral.exit()).isZero();
    assertThat(mistral.out().lines()).contains("mistral mistral-medium-3-5 262144 - 1.50 7.50",
        "mistral mistral-embed 8192 - 0.10 0.00");
    assertThat(deepseek.out().lines()).as("DeepSeek at its peak rate")
        .contains("deepseek deepseek-flash 1000000 384000 0.30 1.20");
  }

  @Test
  void anUnknownProviderIsABadArgument() {
    CommandTest.Run models = run("models", "--provider", "openia");

    assertThat(models.exit()).isEqualTo(2);
    assertThat(models.err()).contains("unknown provider 'openia'").contains("openai");
  }

  @Test
  void aProviderWithNoEntriesSaysHowToAddThem() {
    CommandTest.Run vllm = run("models", "--provider", "vllm");

    assertThat(vllm.exit()).isZero();
    assertThat(vllm.out()).isEmpty();
    assertThat(vllm.err()).contains("no vllm models").contains("--catalogue");
  }

  @Test
  void aCatalogueFileIsMergedOverTheBuiltInOne(@TempDir Path dir) throws Exception {
    Path mine = Files.writeString(dir.resolve("mine.yaml"), """
        models:
          openai:
            gpt-4o:
              input_cost_per_mtok: 2.125
          vllm:
            Qwen/Qwen3-32B:
              context_window: 32768
              input_cost_per_mtok: 0
              output_cost_per_mtok: 0
        """);

    CommandTest.Run models = run("models", "--catalogue", mine.toString());

    assertThat(models.exit()).isZero();
    assertThat(models.out().lines()).contains("openai gpt-4o 128000 16384 2.125 10.00",
        "vllm Qwen/Qwen3-32B 32768 - 0.00 0.00");
  }

  @Test
  void aBrokenCatalogueFileExitsTwoNamingTheLine(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "models:\n  openai:\n    gpt-4o:\n      context_window: big\n");

    CommandTest.Run models = run("models", "--catalogue", bad.toString());

    assertThat(models.exit()).isEqualTo(2);
    assertThat(models.err()).contains("bad.yaml:4: models.openai.gpt-4o.context_window: must be a whole number");
  }

  @Test
  void hasHelp() {
    CommandTest.Run help = run("models", "--help");

    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("Usage: baton models").contains("--provider");
  }
}
